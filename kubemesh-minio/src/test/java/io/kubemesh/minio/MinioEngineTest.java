package io.kubemesh.minio;

import static io.kubemesh.minio.MinioMeshes.find;
import static io.kubemesh.minio.MinioMeshes.findPrefixed;
import static io.kubemesh.minio.MinioMeshes.objects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.output.Phase;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MinioEngineTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Map<String, String> SELECTOR =
      Map.of("app.kubernetes.io/name", "minio", "app.kubernetes.io/instance", "sales-minio");

  @Test
  void standaloneServerIsADeploymentWithOneVolumeProbesAndCredentialsByReference() {
    List<HasMetadata> objects = objects(MinioMeshes.single(Minio.defaults()));

    Deployment deployment = find(objects, Deployment.class, "sales", "minio");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("data");
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("minio-data");
    });

    Container server = pod.getContainers().get(0);
    assertThat(server.getImage()).isEqualTo("quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z");
    assertThat(server.getArgs()).containsExactly("server", "/data", "--console-address", ":9001");
    assertThat(server.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactly("api=9000", "console=9001");
    assertThat(secretRef(server, "MINIO_ROOT_USER")).isEqualTo("minio-root/MINIO_ROOT_USER");
    assertThat(secretRef(server, "MINIO_ROOT_PASSWORD")).isEqualTo("minio-root/MINIO_ROOT_PASSWORD");
    assertThat(env(server, "MINIO_SITE_REGION")).isEqualTo("us-east-1");
    assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/minio/health/live");
    assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/minio/health/ready");
    assertThat(server.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("api");
    assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(server.getResources().getRequests()).containsEntry("memory", new Quantity("512Mi"));
    assertThat(server.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));
    assertThat(server.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/data", "/tmp");

    PersistentVolumeClaim claim = find(objects, PersistentVolumeClaim.class, "sales", "minio-data");
    assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("10Gi"));
    assertThat(claim.getSpec().getStorageClassName()).isNull();

    Service service = find(objects, Service.class, "sales", "minio");
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector()).isEqualTo(SELECTOR);
    assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("api", 9000),
            org.assertj.core.groups.Tuple.tuple("console", 9001));
    assertThat(objects).noneMatch(o -> o instanceof StatefulSet || o instanceof PodDisruptionBudget);
  }

  @Test
  void generatedCredentialsAppearOnlyInSecrets() {
    MeshModel model = MinioMeshes.wired(new MinioMeshes.Reader(), new MinioMeshes.StoreUser(),
        new MinioMeshes.StoreUser());
    List<HasMetadata> rendered = Rendering.of(model).withSecrets(SecretValues.seeded(1)).objects();

    Set<String> generated = new HashSet<>();
    for (HasMetadata o : rendered) {
      if (o instanceof Secret s && s.getData() != null) {
        s.getData().values().stream().map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8))
            .filter(v -> v.length() == MinioEngine.KEY_LENGTH).forEach(generated::add);
      }
    }
    // root passwords of two MinIOs, and a secret key per user: platform, hr, finance, marketing; sales, marketing
    assertThat(generated).hasSize(2 + 4 + 2);
    for (HasMetadata o : rendered) {
      if (o instanceof Secret) {
        continue;
      }
      String yaml = YAML.asYaml(o);
      assertThat(generated).as("%s %s", o.getKind(), o.getMetadata().getName()).noneMatch(yaml::contains);
    }
    String withoutSecrets = Rendering.of(model).toYaml();
    assertThat(generated).noneMatch(withoutSecrets::contains);
    assertThat(withoutSecrets).doesNotContain("MINIO_ACCESS_KEY", "MINIO_SECRET_KEY", ":latest");
    assertThat(Pattern.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b").matcher(withoutSecrets).find())
        .as("no IP addresses").isFalse();
  }

  @Test
  void rootSecretHoldsALiteralUserAndAGeneratedPassword() {
    MeshModel model = MinioMeshes.single(Minio.defaults());
    MeshObject root = model.output().objects().stream()
        .filter(o -> o.isGeneratedSecret() && o.name().equals("minio-root")).findFirst().orElseThrow();
    assertThat(root.phase()).isEqualTo(Phase.CONFIGURATION_AND_SECRETS);
    assertThat(root.generatedSecret().orElseThrow().data().get("MINIO_ROOT_PASSWORD").toString())
        .contains("sales/minio/root-password");
    Map<String, String> data = MinioMeshes.secretData(model, SecretValues.seeded(7), "sales", "minio-root");
    assertThat(data.get("MINIO_ROOT_USER")).isEqualTo("kubemesh_root");
    assertThat(data.get("MINIO_ROOT_PASSWORD")).hasSize(40).matches("[A-Za-z0-9]+");
  }

  @Test
  void distributedServerIsAParallelStatefulSetOverEveryDrive() {
    MeshModel model = MeshModel.named("acme").clusterDomain("corp.example")
        .domain(DomainModel.builder().name("sales").addEngines(
            Minio.defaults().distributed(4).drivesPerPod(2).storageClass("fast").storageSize("50Gi").engine())
            .build())
        .build();
    List<HasMetadata> objects = objects(model);

    StatefulSet set = find(objects, StatefulSet.class, "sales", "minio");
    assertThat(set.getSpec().getReplicas()).isEqualTo(4);
    assertThat(set.getSpec().getServiceName()).isEqualTo("minio-hl");
    assertThat(set.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    Container server = set.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(server.getArgs()).containsExactly("server",
        "http://minio-{0...3}.minio-hl.sales.svc.corp.example:9000/data{0...1}", "--console-address", ":9001");
    assertThat(server.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/data0", "/data1", "/tmp");
    assertThat(set.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName())
        .containsExactly("data0", "data1");
    assertThat(set.getSpec().getVolumeClaimTemplates()).allSatisfy(c -> {
      assertThat(c.getSpec().getStorageClassName()).isEqualTo("fast");
      assertThat(c.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("50Gi"));
    });
    var anti = set.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
        .getPreferredDuringSchedulingIgnoredDuringExecution().get(0);
    assertThat(anti.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(anti.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(SELECTOR);

    Service headless = find(objects, Service.class, "sales", "minio-hl");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    PodDisruptionBudget pdb = find(objects, PodDisruptionBudget.class, "sales", "minio");
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
    assertThat(objects).noneMatch(o -> o instanceof Deployment || o instanceof PersistentVolumeClaim);

    Job job = findPrefixed(objects, Job.class, "sales", "minio-setup-");
    assertThat(env(job.getSpec().getTemplate().getSpec().getContainers().get(0), "MINIO_URL"))
        .isEqualTo("http://minio.sales.svc.corp.example:9000");
  }

  @Test
  void distributedServerWithOneDrivePerPodNamesTheDriveWithoutEllipsis() {
    List<HasMetadata> objects = objects(MinioMeshes.single(Minio.defaults().distributed(6)));
    StatefulSet set = find(objects, StatefulSet.class, "sales", "minio");
    assertThat(set.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().get(1))
        .isEqualTo("http://minio-{0...5}.minio-hl.sales.svc.cluster.local:9000/data0");
  }

  @Test
  void localVolumeIsPinnedToItsNodeAndRetained() {
    List<HasMetadata> objects = objects(MinioMeshes.single(Minio.defaults().localVolume("node-1", "/srv/minio")));

    PersistentVolume pv = find(objects, PersistentVolume.class, null, "acme-sales-minio-local");
    assertThat(pv.getMetadata().getNamespace()).isNull();
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
    assertThat(pv.getSpec().getLocal().getPath()).isEqualTo("/srv/minio");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("acme-sales-minio-local");
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo("sales");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("minio-data");
    var term = pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
    assertThat(term.getKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(term.getOperator()).isEqualTo("In");
    assertThat(term.getValues()).containsExactly("node-1");

    StorageClass sc = find(objects, StorageClass.class, null, "acme-sales-minio-local");
    assertThat(sc.getProvisioner()).isEqualTo("kubernetes.io/no-provisioner");
    assertThat(sc.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
    assertThat(sc.getReclaimPolicy()).isEqualTo("Retain");

    PersistentVolumeClaim claim = find(objects, PersistentVolumeClaim.class, "sales", "minio-data");
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("acme-sales-minio-local");
    assertThat(claim.getSpec().getVolumeName()).isEqualTo("acme-sales-minio-local");
  }

  @Test
  void setupJobRunsTheConfigMapScriptWithThePinnedClientAndNoWritableRoot() {
    MeshModel model = MinioMeshes.single(Minio.defaults().bucket("orders"));
    List<HasMetadata> objects = objects(model);
    MeshObject jobObject = model.output().objects().stream().filter(o -> o.kind().equals("Job")).findFirst()
        .orElseThrow();
    assertThat(jobObject.phase()).isEqualTo(Phase.JOBS);

    Job job = findPrefixed(objects, Job.class, "sales", "minio-setup-");
    assertThat(job.getMetadata().getName()).matches("minio-setup-[0-9a-f]{8}");
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container mc = pod.getContainers().get(0);
    assertThat(mc.getImage()).isEqualTo("quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z");
    assertThat(mc.getCommand()).containsExactly("/bin/sh", "/etc/kubemesh/minio-setup/setup.sh");
    assertThat(env(mc, "MINIO_URL")).isEqualTo("http://minio.sales.svc.cluster.local:9000");
    assertThat(secretRef(mc, "MINIO_ROOT_PASSWORD")).isEqualTo("minio-root/MINIO_ROOT_PASSWORD");
    assertThat(env(mc, "MC_CONFIG_DIR")).isEqualTo("/tmp/mc");
    assertThat(mc.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(mc.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("setup", "user-keys", "tmp");
    assertThat(pod.getVolumes().get(0).getConfigMap().getName()).isEqualTo("minio-setup");
    assertThat(pod.getVolumes().get(1).getSecret().getSecretName()).isEqualTo("minio-users");
    assertThat(pod.getVolumes().get(2).getEmptyDir()).isNotNull();

    String script = MinioMeshes.setupFiles(model, "sales").get("setup.sh");
    assertThat(script)
        .startsWith("#!/bin/sh\n")
        .contains("set -eu\n", "mc --quiet ready kubemesh\n", "mc --quiet mb --ignore-existing \"kubemesh/$1\"",
            "mc --quiet admin policy create kubemesh \"$2\"", "mc --quiet admin policy attach kubemesh \"$2\" --user",
            "\nbucket sales\nbucket orders\n", "\nuser sales kubemesh-sales\n");
  }

  @Test
  void aShortDomainNameGetsADataBucketAndAPaddedUser() {
    MeshModel model = MeshModel.named("acme")
        .domain(DomainModel.builder().name("hr").addEngines(Minio.defaults().engine()).build()).build();
    Map<String, String> files = MinioMeshes.setupFiles(model, "hr");
    assertThat(files.get("setup.sh")).contains("\nbucket hr-data\n", "\nuser hr-user kubemesh-hr\n");
    assertThat(files.get("kubemesh-hr.json")).contains("\"arn:aws:s3:::hr-data\"", "\"arn:aws:s3:::hr-data/*\"");
  }

  @Test
  void renderingIsDeterministic() {
    MeshModel a = MinioMeshes.single(Minio.defaults().bucket("orders").distributed(4));
    MeshModel b = MinioMeshes.single(Minio.defaults().distributed(4).bucket("orders"));
    assertThat(Rendering.of(a).toYaml()).isEqualTo(Rendering.of(b).toYaml());
  }

  static String env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }

  static String secretRef(Container c, String name) {
    EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
    assertThat(e.getValue()).as("literal value of " + name).isNull();
    return e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey();
  }
}
