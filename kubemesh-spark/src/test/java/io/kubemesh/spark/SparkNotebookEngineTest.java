package io.kubemesh.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SparkNotebookEngineTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b");

  private final MeshModel model = Meshes.salesWithNotebook();
  private final List<HasMetadata> objects = Rendering.of(model).withSecrets(SecretValues.seeded(1)).objects();

  private List<HasMetadata> notebookObjects() {
    return model.output().objects().stream().filter(o -> o.engine().equals("spark-notebook"))
        .map(o -> objects.stream().filter(r -> r.getKind().equals(o.kind())
            && r.getMetadata().getName().equals(o.name())
            && r.getMetadata().getNamespace().equals(o.namespace())).findFirst().orElseThrow())
        .toList();
  }

  private <T extends HasMetadata> T one(Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name) && "sales".equals(o.getMetadata().getNamespace()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  private Map<String, String> sparkDefaults() {
    return SparkDefaults.parse(one(ConfigMap.class, "spark-notebook-conf").getData().get("spark-defaults.conf"));
  }

  private Container notebook() {
    return one(StatefulSet.class, "spark-notebook").getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private Pod executorTemplate() {
    return SERIALIZATION.unmarshal(
        one(ConfigMap.class, "spark-notebook-conf").getData().get("executor-pod-template.yaml"), Pod.class);
  }

  @Test
  void emitsTheNotebookObjectsInTheDomainNamespace() {
    assertThat(notebookObjects()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder("ServiceAccount/spark-notebook", "ServiceAccount/spark-notebook-executor",
            "Role/spark-notebook-driver", "RoleBinding/spark-notebook-driver", "ConfigMap/spark-notebook-conf",
            "ConfigMap/spark-notebook-samples", "Secret/spark-notebook-jupyter",
            "PersistentVolumeClaim/spark-notebook-work", "Service/spark-notebook-driver", "Service/spark-notebook",
            "StatefulSet/spark-notebook", "NetworkPolicy/spark-notebook-package-downloads");
    assertThat(notebookObjects()).allSatisfy(o -> {
      assertThat(o.getMetadata().getNamespace()).isEqualTo("sales");
      assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "notebook");
    });
  }

  @Test
  void generatedCredentialsAppearOnlyInSecrets() {
    List<Secret> secrets = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast).toList();
    Set<String> values = secrets.stream().flatMap(s -> s.getData().values().stream())
        .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    assertThat(values).hasSizeGreaterThanOrEqualTo(5); // token, home store pair, data product pair
    String everythingElse = objects.stream().filter(o -> !(o instanceof Secret)).map(SERIALIZATION::asYaml)
        .collect(Collectors.joining());
    assertThat(values).allSatisfy(v -> assertThat(everythingElse).doesNotContain(v));
    assertThat(sparkDefaults().keySet()).noneMatch(k -> k.endsWith("access.key") && !sparkDefaults().get(k)
        .startsWith("${env."));
    // and the default rendering leaves the Secrets out altogether
    assertThat(Rendering.of(model).toYaml()).doesNotContain("kind: Secret\n");
  }

  @Test
  void onlyTheNotebookPodMayDownloadPackagesAndOnlyOverHttps() {
    var policy = one(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
        "spark-notebook-package-downloads");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name",
        "spark-notebook");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
    assertThat(policy.getSpec().getEgress()).singleElement().satisfies(e -> {
      assertThat(e.getTo()).isEmpty();
      assertThat(e.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(443);
    });
  }

  @Test
  void jupyterTokenIsGeneratedAndPassedFromTheSecret() {
    Secret token = one(Secret.class, "spark-notebook-jupyter");
    String value = new String(Base64.getDecoder().decode(token.getData().get("JUPYTER_TOKEN")), StandardCharsets.UTF_8);
    assertThat(value).hasSize(48);
    EnvVar env = notebook().getEnv().stream().filter(e -> e.getName().equals("JUPYTER_TOKEN")).findFirst().orElseThrow();
    assertThat(env.getValue()).isNull();
    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("spark-notebook-jupyter");
    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("JUPYTER_TOKEN");
  }

  @Test
  void imagesArePinnedAndNeverLatest() {
    List<String> images = new java.util.ArrayList<>();
    images.add(notebook().getImage());
    images.add(sparkDefaults().get("spark.kubernetes.container.image"));
    assertThat(images).containsOnly("quay.io/jupyter/pyspark-notebook:spark-4.0.1");
    String all = objects.stream().map(SERIALIZATION::asYaml).collect(Collectors.joining());
    assertThat(all).doesNotContain(":latest");
  }

  @Test
  void addressesAreDnsNamesNeverIps() {
    Map<String, String> conf = sparkDefaults();
    assertThat(conf.get("spark.driver.host")).isEqualTo("spark-notebook-driver.sales.svc.cluster.local");
    assertThat(conf.get("spark.hadoop.fs.s3a.endpoint")).isEqualTo("http://fake-store.sales.svc.cluster.local:9000");
    assertThat(conf.get("spark.hadoop.fs.s3a.bucket.campaigns.endpoint"))
        .isEqualTo("http://fake-store.marketing.svc.cluster.local:9000");
    conf.forEach((k, v) -> assertThat(v).as(k).satisfiesAnyOf(
        x -> assertThat(IPV4.matcher(x).find()).isFalse(), x -> assertThat(x).isEqualTo("0.0.0.0")));
    String notebookYaml = notebookObjects().stream().map(SERIALIZATION::asYaml).collect(Collectors.joining())
        .replace("0.0.0.0", "");
    assertThat(IPV4.matcher(notebookYaml).find()).isFalse();
  }

  @Test
  void rbacIsConfinedToTheDomainNamespace() {
    assertThat(objects).noneMatch(o -> o.getKind().startsWith("Cluster"));
    Role role = one(Role.class, "spark-notebook-driver");
    assertThat(role.getRules()).extracting(r -> r.getResources().get(0))
        .containsExactly("pods", "services", "persistentvolumeclaims");
    PolicyRule pods = role.getRules().get(0);
    assertThat(pods.getVerbs()).containsExactlyInAnyOrder("create", "get", "list", "watch", "delete",
        "deletecollection");
    assertThat(role.getRules().get(1).getResources()).containsExactly("services", "configmaps");
    assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getApiGroups()).containsExactly(""));
    RoleBinding binding = one(RoleBinding.class, "spark-notebook-driver");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo("spark-notebook-driver");
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo("spark-notebook");
      assertThat(s.getNamespace()).isEqualTo("sales");
    });
    assertThat(one(ServiceAccount.class, "spark-notebook-executor").getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void driverPodHasTheApiTokenAndAStableName() {
    StatefulSet sts = one(StatefulSet.class, "spark-notebook");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
    assertThat(sts.getSpec().getServiceName()).isEqualTo("spark-notebook-driver");
    PodSpec pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("spark-notebook");
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("kubemesh.io/api-access", "true");
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(100L);
    EnvVar podName = notebook().getEnv().stream().filter(e -> e.getName().equals("SPARK_DRIVER_POD_NAME"))
        .findFirst().orElseThrow();
    assertThat(podName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(sparkDefaults()).containsEntry("spark.kubernetes.driver.pod.name", "${env:SPARK_DRIVER_POD_NAME}");
  }

  @Test
  void notebookContainerMountsProbesAndCredentials() {
    Container c = notebook();
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath())
        .contains("/home/jovyan/work", "/opt/kubemesh/spark-conf", "/home/jovyan/samples");
    assertThat(c.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("SPARK_CONF_DIR");
      assertThat(e.getValue()).isEqualTo("/opt/kubemesh/spark-conf");
    });
    for (var probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
      assertThat(probe.getHttpGet().getPath()).isEqualTo("/api");
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
    assertThat(c.getPorts()).extracting(p -> p.getContainerPort()).containsExactlyInAnyOrder(8888, 4040, 7078, 7079);
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("3072Mi");
    Map<String, String> secretEnv = c.getEnv().stream().filter(e -> e.getValueFrom() != null
            && e.getValueFrom().getSecretKeyRef() != null)
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName() + ":"
            + e.getValueFrom().getSecretKeyRef().getKey()));
    assertThat(secretEnv).containsOnly(
        Map.entry("JUPYTER_TOKEN", "spark-notebook-jupyter:JUPYTER_TOKEN"),
        Map.entry("AWS_ACCESS_KEY_ID", "sales-store-credentials:AWS_ACCESS_KEY_ID"),
        Map.entry("AWS_SECRET_ACCESS_KEY", "sales-store-credentials:AWS_SECRET_ACCESS_KEY"),
        Map.entry("KUBEMESH_S3_CAMPAIGNS_ACCESS_KEY_ID", "marketing-store-credentials:AWS_ACCESS_KEY_ID"),
        Map.entry("KUBEMESH_S3_CAMPAIGNS_SECRET_ACCESS_KEY", "marketing-store-credentials:AWS_SECRET_ACCESS_KEY"));
    // every Secret the pod references exists in its namespace
    secretEnv.values().forEach(ref -> one(Secret.class, ref.substring(0, ref.indexOf(':'))));
    assertThat(one(PersistentVolumeClaim.class, "spark-notebook-work").getSpec().getResources().getRequests()
        .get("storage").toString()).isEqualTo("5Gi");
  }

  @Test
  void servicesExposeJupyterAndTheDriverPorts() {
    Service headless = one(Service.class, "spark-notebook-driver");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(7078, 7079);
    Service ui = one(Service.class, "spark-notebook");
    assertThat(ui.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(ui.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(8888, 4040);
    assertThat(headless.getSpec().getSelector()).isEqualTo(
        one(StatefulSet.class, "spark-notebook").getSpec().getSelector().getMatchLabels());
  }

  @Test
  void sparkDefaultsWireClientModeS3aAndDelta() {
    assertThat(sparkDefaults()).containsAllEntriesOf(Map.ofEntries(
        Map.entry("spark.master", "k8s://https://kubernetes.default.svc:443"),
        Map.entry("spark.submit.deployMode", "client"),
        Map.entry("spark.kubernetes.namespace", "sales"),
        Map.entry("spark.driver.bindAddress", "0.0.0.0"),
        Map.entry("spark.driver.port", "7078"),
        Map.entry("spark.blockManager.port", "7079"),
        Map.entry("spark.kubernetes.authenticate.executor.serviceAccountName", "spark-notebook-executor"),
        Map.entry("spark.kubernetes.executor.podTemplateFile", "/opt/kubemesh/spark-conf/executor-pod-template.yaml"),
        Map.entry("spark.executor.instances", "2"),
        Map.entry("spark.executor.cores", "1"),
        Map.entry("spark.executor.memory", "1g"),
        Map.entry("spark.kubernetes.executor.request.cores", "1"),
        Map.entry("spark.kubernetes.executor.limit.cores", "1"),
        Map.entry("spark.hadoop.fs.s3a.path.style.access", "true"),
        Map.entry("spark.hadoop.fs.s3a.connection.ssl.enabled", "false"),
        Map.entry("spark.hadoop.fs.s3a.endpoint.region", "us-east-1"),
        Map.entry("spark.hadoop.fs.s3a.aws.credentials.provider",
            "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider"),
        Map.entry("spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID",
            "sales-store-credentials:AWS_ACCESS_KEY_ID"),
        Map.entry("spark.kubernetes.executor.secretKeyRef.AWS_SECRET_ACCESS_KEY",
            "sales-store-credentials:AWS_SECRET_ACCESS_KEY"),
        Map.entry("spark.hadoop.fs.s3a.bucket.campaigns.access.key", "${env.KUBEMESH_S3_CAMPAIGNS_ACCESS_KEY_ID}"),
        Map.entry("spark.hadoop.fs.s3a.bucket.campaigns.secret.key",
            "${env.KUBEMESH_S3_CAMPAIGNS_SECRET_ACCESS_KEY}"),
        Map.entry("spark.hadoop.fs.s3a.bucket.campaigns.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"),
        Map.entry("spark.kubernetes.executor.secretKeyRef.KUBEMESH_S3_CAMPAIGNS_ACCESS_KEY_ID",
            "marketing-store-credentials:AWS_ACCESS_KEY_ID"),
        Map.entry("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension"),
        Map.entry("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog"),
        Map.entry("spark.delta.logStore.s3a.impl", "io.delta.storage.S3SingleDriverLogStore"),
        Map.entry("spark.sql.warehouse.dir", "s3a://sales/warehouse"),
        Map.entry("spark.jars.packages", "io.delta:delta-spark_2.13:4.0.1,org.apache.hadoop:hadoop-aws:3.4.1")));
    assertThat(sparkDefaults().keySet()).noneMatch(k -> k.startsWith("spark.executorEnv."));
  }

  @Test
  void userSettingsReachTheConf() {
    MeshModel custom = Meshes.salesWithNotebook(n -> n.executors(5).executorCores(2).executorMemory("4g")
        .driverMemory("3g").conf("spark.sql.shuffle.partitions", "64")
        .overrideConf("spark.delta.logStore.s3a.impl", "io.delta.storage.S3DynamoDBLogStore")
        .packages().notebookStorage("20Gi"));
    ConfigMap cm = Rendering.of(custom).objects().stream().filter(ConfigMap.class::isInstance)
        .map(ConfigMap.class::cast).filter(c -> c.getMetadata().getName().equals("spark-notebook-conf"))
        .findFirst().orElseThrow();
    Map<String, String> conf = SparkDefaults.parse(cm.getData().get("spark-defaults.conf"));
    assertThat(conf).containsEntry("spark.executor.instances", "5").containsEntry("spark.executor.cores", "2")
        .containsEntry("spark.kubernetes.executor.limit.cores", "2").containsEntry("spark.executor.memory", "4g")
        .containsEntry("spark.driver.memory", "3g").containsEntry("spark.sql.shuffle.partitions", "64")
        .containsEntry("spark.delta.logStore.s3a.impl", "io.delta.storage.S3DynamoDBLogStore")
        .doesNotContainKey("spark.jars.packages");
    // no packages to download: no egress beyond the domain's baseline
    assertThat(Rendering.of(custom).objects()).noneMatch(o -> o.getMetadata().getName()
        .equals("spark-notebook-package-downloads"));
  }

  @Test
  void executorTemplateIsRestrictedAndRunsSparksEntrypoint() {
    Pod template = executorTemplate();
    PodSpec spec = template.getSpec();
    assertThat(spec.getServiceAccountName()).isEqualTo("spark-notebook-executor");
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container c = spec.getContainers().get(0);
    assertThat(c.getName()).isEqualTo("executor");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getCommand()).containsExactly("/usr/local/spark/kubernetes/dockerfiles/spark/entrypoint.sh");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("1408Mi");
    assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("1");
    assertThat(template.getMetadata().getLabels()).containsEntry("kubemesh.io/domain", "sales")
        .containsEntry("app.kubernetes.io/component", "spark-executor");
    assertThat(c.getEnv()).noneMatch(e -> e.getName().startsWith("AWS_"));
  }

  @Test
  void aSeparateExecutorImageKeepsItsOwnEntrypoint() {
    MeshModel custom = Meshes.salesWithNotebook(n -> n.executorImage("registry.example/spark-exec:4.0.1-py312"));
    ConfigMap cm = Rendering.of(custom).objects().stream().filter(ConfigMap.class::isInstance)
        .map(ConfigMap.class::cast).filter(c -> c.getMetadata().getName().equals("spark-notebook-conf"))
        .findFirst().orElseThrow();
    Pod template = SERIALIZATION.unmarshal(cm.getData().get("executor-pod-template.yaml"), Pod.class);
    assertThat(template.getSpec().getContainers().get(0).getCommand()).isEmpty();
    assertThat(SparkDefaults.parse(cm.getData().get("spark-defaults.conf")))
        .containsEntry("spark.kubernetes.container.image", "registry.example/spark-exec:4.0.1-py312");
  }

  @Test
  void theSampleWorkloadShipsInTheJarAndTheConfigMap() throws Exception {
    ConfigMap samples = one(ConfigMap.class, "spark-notebook-samples");
    Path dir = Path.of("..", "samples", "notebooks");
    for (String f : List.of("delta-smoke.ipynb", "delta_smoke.py")) {
      assertThat(samples.getData().get(f)).isEqualTo(Files.readString(dir.resolve(f)));
    }
    assertThat(samples.getData().get("delta_smoke.py")).contains("delta-test/", "sum()", "format(\"delta\")");
  }
}
