package io.kubemesh.spark;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.capability.ImageRegistry;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import io.kubemesh.core.validation.Problems;
import io.kubemesh.core.validation.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Emits the notebook: identities and namespaced RBAC, the generated Spark configuration, the Jupyter token, the
 * notebooks volume, two services and a StatefulSet of one pod that is the Spark driver.
 *
 * <p>A StatefulSet rather than a Deployment: its one pod has a stable name ({@code spark-notebook-0}) that executors
 * name as their owner, and it never runs two pods at once, so a replacement does not start a second driver nor fight
 * over the ReadWriteOnce notebooks volume while the old pod terminates (a Deployment's rolling update would).
 */
final class SparkNotebookEngine implements Engine {
  static final String NAME = "spark-notebook";
  static final String DRIVER_SERVICE = NAME + "-driver";
  static final String EXECUTOR_ACCOUNT = NAME + "-executor";
  static final String CONFIG = NAME + "-conf";
  static final String SAMPLES = NAME + "-samples";
  static final String TOKEN_SECRET = NAME + "-jupyter";
  static final String TOKEN_KEY = "JUPYTER_TOKEN";
  static final String WORK_CLAIM = NAME + "-work";
  static final String HOME = "/home/jovyan";
  static final String WORK_DIR = HOME + "/work";
  static final String SAMPLES_DIR = HOME + "/samples";
  static final String BUCKET_ENV = "KUBEMESH_BUCKET";
  static final List<String> SAMPLE_FILES = List.of("delta-smoke.ipynb", "delta_smoke.py");
  /** Room for Jupyter, the Python kernel and the JVM's off-heap memory next to the driver heap. */
  static final long NOTEBOOK_MEMORY_HEADROOM_MIB = 1024;

  private static final Pattern SPARK_SIZE = Pattern.compile("(\\d+)([kmgtp]?)b?", Pattern.CASE_INSENSITIVE);

  private final SparkNotebook s;

  SparkNotebookEngine(SparkNotebook settings) {
    this.s = settings;
  }

  SparkNotebook settings() {
    return s;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String component() {
    return "notebook";
  }

  @Override
  public Set<Capability<?>> requires() {
    return s.imagesFromMeshRegistry ? Set.of(ObjectStore.CAPABILITY, ImageRegistry.CAPABILITY)
        : Set.of(ObjectStore.CAPABILITY);
  }

  @Override
  public void validate(Problems p, String field) {
    Rules.atLeast(p, field + ".executors", s.executors, 1);
    Rules.atLeast(p, field + ".executorCores", s.executorCores, 1);
    Rules.sparkSize(p, field + ".executorMemory", s.executorMemory);
    Rules.sparkSize(p, field + ".driverMemory", s.driverMemory);
    Rules.pinnedImage(p, field + ".notebookImage", s.notebookImage);
    if (s.executorImage != null) {
      Rules.pinnedImage(p, field + ".executorImage", s.executorImage);
    }
    Rules.positiveQuantity(p, field + ".notebookStorage", s.notebookStorage);
    if (s.storageClass != null) {
      Rules.dnsSubdomain(p, field + ".storageClass", s.storageClass);
    }
    for (String coordinate : s.packages) {
      p.check(coordinate.matches("[\\w.-]+:[\\w.-]+:[\\w.-]+"), field + ".packages", coordinate,
          "must be a Maven coordinate group:artifact:version");
    }
    Map<String, String> all = new TreeMap<>(s.conf);
    all.putAll(s.overrides);
    all.forEach((key, value) -> {
      String f = field + ".conf[" + key + "]";
      p.check(key.startsWith("spark."), f, key, "Spark settings start with 'spark.'");
      p.check(!key.matches(".*[\\s=:].*"), f, key, "a key may not contain whitespace, '=' or ':'");
      p.check(!value.contains("\n") && !value.contains("\\"), f, value,
          "a value may not contain line breaks or backslashes");
      p.check(!SparkDefaults.isLiteralCredential(key, value), f, "<hidden>",
          "credentials never go into spark-defaults.conf; kubemesh passes them from Secrets as environment "
              + "variables (a value may be an ${env.NAME} reference)");
    });
  }

  @Override
  public void emit(EngineContext ctx) {
    if (s.imagesFromMeshRegistry) {
      new SparkNotebookEngine(s.pulledFrom(ctx.require(ImageRegistry.CAPABILITY))).emit(ctx);
      return;
    }
    ObjectStore home = ctx.require(ObjectStore.CAPABILITY);
    List<SparkDefaults.BucketCredentials> dataProducts =
        SparkDefaults.dataProductCredentials(ctx.dataProducts(), home);
    String ns = ctx.namespace();
    Map<String, String> selector = ctx.selectorLabels();

    // Identities: the driver may manage executor pods in this namespace only; executors get no API rights.
    ctx.add(new ServiceAccountBuilder().withNewMetadata().withName(NAME).endMetadata().build());
    ctx.add(new ServiceAccountBuilder().withNewMetadata().withName(EXECUTOR_ACCOUNT).endMetadata()
        .withAutomountServiceAccountToken(false).build());
    ctx.add(new RoleBuilder().withNewMetadata().withName(NAME + "-driver").withNamespace(ns).endMetadata()
        .withRules(driverRules()).build());
    ctx.add(new RoleBindingBuilder().withNewMetadata().withName(NAME + "-driver").withNamespace(ns).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", NAME + "-driver")
        .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(ns).endSubject()
        .build());

    // Configuration: spark-defaults.conf and the executor pod template, mounted as SPARK_CONF_DIR.
    SparkDefaults.Wiring wiring = new SparkDefaults.Wiring(ns, ctx.serviceHost(DRIVER_SERVICE), EXECUTOR_ACCOUNT,
        WORK_DIR + "/.ivy2", home, dataProducts);
    String template = new KubernetesSerialization().asYaml(executorTemplate(ctx));
    ctx.add(new ConfigMapBuilder().withNewMetadata().withName(CONFIG).endMetadata()
        .addToData("spark-defaults.conf", SparkDefaults.toText(SparkDefaults.of(s, wiring)))
        .addToData(SparkDefaults.TEMPLATE_FILE, template.startsWith("---\n") ? template.substring(4) : template)
        .build());
    ConfigMapBuilder samples = new ConfigMapBuilder().withNewMetadata().withName(SAMPLES).endMetadata();
    SAMPLE_FILES.forEach(f -> samples.addToData(f, sample(f)));
    ctx.add(samples.build());

    // The Jupyter token: generated, never empty, only ever in this Secret.
    ctx.add(GeneratedSecret.named(ns, TOKEN_SECRET)
        .with(TOKEN_KEY, SecretValue.random(ctx.domain() + "/" + NAME + "/jupyter-token", 48)));

    PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(WORK_CLAIM).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity(s.notebookStorage)).endResources()
        .endSpec();
    if (s.storageClass != null) {
      claim.editSpec().withStorageClassName(s.storageClass).endSpec();
    }
    ctx.add(claim.build());

    // Executors connect back to the driver through the headless service, by DNS name.
    ctx.add(new ServiceBuilder().withNewMetadata().withName(DRIVER_SERVICE).endMetadata()
        .withNewSpec().withClusterIP("None").withSelector(selector).withPublishNotReadyAddresses(true)
        .addNewPort().withName("driver").withPort(SparkNotebook.DRIVER_PORT)
        .withTargetPort(new IntOrString(SparkNotebook.DRIVER_PORT)).withProtocol("TCP").endPort()
        .addNewPort().withName("block-manager").withPort(SparkNotebook.BLOCK_MANAGER_PORT)
        .withTargetPort(new IntOrString(SparkNotebook.BLOCK_MANAGER_PORT)).withProtocol("TCP").endPort()
        .endSpec().build());
    ctx.add(new ServiceBuilder().withNewMetadata().withName(NAME).endMetadata()
        .withNewSpec().withType("ClusterIP").withSelector(selector)
        .addNewPort().withName("http").withPort(SparkNotebook.JUPYTER_PORT)
        .withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
        .addNewPort().withName("spark-ui").withPort(SparkNotebook.SPARK_UI_PORT)
        .withTargetPort(new IntOrString("spark-ui")).withProtocol("TCP").endPort()
        .endSpec().build());

    if (!s.packages.isEmpty()) {
      // spark.jars.packages are fetched by the driver through Ivy over HTTPS; the domain's default-deny policy
      // would block that. Only the notebook pod gets this, only on 443; with packages() empty there is no hole.
      ctx.add(new NetworkPolicyBuilder().withNewMetadata().withName(NAME + "-package-downloads").endMetadata()
          .withNewSpec().withNewPodSelector().withMatchLabels(selector).endPodSelector().withPolicyTypes("Egress")
          .addNewEgress().addNewPort().withProtocol("TCP").withPort(new IntOrString(443)).endPort().endEgress()
          .endSpec().build());
    }

    ctx.add(new StatefulSetBuilder().withNewMetadata().withName(NAME).endMetadata()
        .withNewSpec().withReplicas(1).withServiceName(DRIVER_SERVICE)
        .withPodManagementPolicy("OrderedReady")
        .withNewSelector().withMatchLabels(selector).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(selector).endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        // The driver creates and watches executor pods through the API server.
        .withAutomountServiceAccountToken(true)
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(SparkVersions.NOTEBOOK_UID)
        .withRunAsGroup(SparkVersions.NOTEBOOK_GID).withFsGroup(SparkVersions.NOTEBOOK_GID)
        .withFsGroupChangePolicy("OnRootMismatch").endSecurityContext()
        .withEnableServiceLinks(false)
        .withImagePullSecrets(pullSecrets())
        .withContainers(notebookContainer(home, dataProducts))
        .addNewVolume().withName("work").withNewPersistentVolumeClaim().withClaimName(WORK_CLAIM)
        .endPersistentVolumeClaim().endVolume()
        .addNewVolume().withName("spark-conf").withNewConfigMap().withName(CONFIG).endConfigMap().endVolume()
        .addNewVolume().withName("samples").withNewConfigMap().withName(SAMPLES).endConfigMap().endVolume()
        .endSpec()
        .endTemplate()
        .endSpec().build());
  }

  private List<io.fabric8.kubernetes.api.model.LocalObjectReference> pullSecrets() {
    return s.pullSecret == null ? List.of()
        : List.of(new io.fabric8.kubernetes.api.model.LocalObjectReference(s.pullSecret));
  }

  private static List<PolicyRule> driverRules() {
    List<String> manage = List.of("create", "get", "list", "watch", "delete", "deletecollection");
    return List.of(
        new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs(manage).build(),
        // Spark deletes executor config maps, services and on-demand claims by label selector: deletecollection.
        new PolicyRuleBuilder().withApiGroups("").withResources("services", "configmaps").withVerbs(manage).build(),
        new PolicyRuleBuilder().withApiGroups("").withResources("persistentvolumeclaims").withVerbs(manage)
            .build());
  }

  private Container notebookContainer(ObjectStore home, List<SparkDefaults.BucketCredentials> dataProducts) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName(SparkDefaults.DRIVER_POD_NAME_ENV).withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
    env.add(new EnvVarBuilder().withName("SPARK_CONF_DIR").withValue(SparkDefaults.CONF_DIR).build());
    env.add(new EnvVarBuilder().withName("HOME").withValue(HOME).build());
    env.add(new EnvVarBuilder().withName(BUCKET_ENV).withValue(home.bucket()).build());
    env.add(secretEnv(TOKEN_KEY, TOKEN_SECRET, TOKEN_KEY));
    env.add(secretEnv(SparkDefaults.ACCESS_KEY_ENV, home.credentialsSecret(), home.accessKeyKey()));
    env.add(secretEnv(SparkDefaults.SECRET_KEY_ENV, home.credentialsSecret(), home.secretKeyKey()));
    for (SparkDefaults.BucketCredentials b : dataProducts) {
      env.add(secretEnv(b.accessKeyEnv(), b.store().credentialsSecret(), b.store().accessKeyKey()));
      env.add(secretEnv(b.secretKeyEnv(), b.store().credentialsSecret(), b.store().secretKeyKey()));
    }
    long memoryMib = mebibytes(s.driverMemory) + NOTEBOOK_MEMORY_HEADROOM_MIB;
    return new ContainerBuilder()
        .withName("notebook")
        .withImage(s.notebookImage)
        .withImagePullPolicy("IfNotPresent")
        .addNewPort().withName("http").withContainerPort(SparkNotebook.JUPYTER_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("spark-ui").withContainerPort(SparkNotebook.SPARK_UI_PORT).withProtocol("TCP")
        .endPort()
        .addNewPort().withName("driver").withContainerPort(SparkNotebook.DRIVER_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("block-manager").withContainerPort(SparkNotebook.BLOCK_MANAGER_PORT)
        .withProtocol("TCP").endPort()
        .withEnv(env)
        .withNewResources()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity(memoryMib + "Mi"))
        .addToLimits("cpu", new Quantity("2"))
        .addToLimits("memory", new Quantity(memoryMib + "Mi"))
        .endResources()
        .addNewVolumeMount().withName("work").withMountPath(WORK_DIR).endVolumeMount()
        .addNewVolumeMount().withName("spark-conf").withMountPath(SparkDefaults.CONF_DIR).withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount().withName("samples").withMountPath(SAMPLES_DIR).withReadOnly(true).endVolumeMount()
        .withStartupProbe(jupyterProbe(5, 60))
        .withReadinessProbe(jupyterProbe(10, 3))
        .withLivenessProbe(jupyterProbe(30, 4))
        .build();
  }

  /** Jupyter Server answers {@code GET /api} with its version, without a token. */
  private static Probe jupyterProbe(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder().withNewHttpGet().withPath("/api").withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(periodSeconds).withTimeoutSeconds(5).withFailureThreshold(failureThreshold).build();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(secret).withKey(key).withOptional(false).endSecretKeyRef().endValueFrom().build();
  }

  /**
   * The executor pod template Spark starts from. The core's conventions do not reach it (it is a file, not an
   * object), so it repeats them: restricted security context, no API token, labels.
   */
  Pod executorTemplate(EngineContext ctx) {
    Map<String, String> labels = new TreeMap<>(ctx.standardLabels("spark-executor"));
    long memoryMib = mebibytes(s.executorMemory);
    memoryMib += Math.max(384, memoryMib / 10); // Spark's default overhead; Spark sets the same when it builds pods
    ContainerBuilder container = new ContainerBuilder()
        .withName(SparkDefaults.EXECUTOR_CONTAINER)
        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .withNewResources()
        .addToRequests("cpu", new Quantity(String.valueOf(s.executorCores)))
        .addToRequests("memory", new Quantity(memoryMib + "Mi"))
        .addToLimits("cpu", new Quantity(String.valueOf(s.executorCores)))
        .addToLimits("memory", new Quantity(memoryMib + "Mi"))
        .endResources();
    if (s.executorsRunNotebookImage()) {
      // Spark adds the argument "executor"; the notebook image's own entrypoint would start Jupyter instead.
      container.withCommand(SparkVersions.NOTEBOOK_EXECUTOR_ENTRYPOINT)
          .addNewEnv().withName("JAVA_HOME").withValue(SparkVersions.NOTEBOOK_JAVA_HOME).endEnv();
    }
    return new PodBuilder()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withServiceAccountName(EXECUTOR_ACCOUNT)
        .withImagePullSecrets(pullSecrets())
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(SparkVersions.NOTEBOOK_UID)
        .withRunAsGroup(SparkVersions.NOTEBOOK_GID).withFsGroup(SparkVersions.NOTEBOOK_GID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .withContainers(container.build())
        .endSpec().build();
  }

  /** A Spark size (validated before emit) in MiB, at least 1. */
  static long mebibytes(String sparkSize) {
    Matcher m = SPARK_SIZE.matcher(sparkSize.strip());
    if (!m.matches()) {
      throw KubemeshException.invalid("spark-notebook.memory", sparkSize, "is not a Spark size");
    }
    long n = Long.parseLong(m.group(1));
    long mib = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n / 1024;
      case "m" -> n;
      case "g" -> n * 1024;
      case "t" -> n * 1024 * 1024;
      case "p" -> n * 1024 * 1024 * 1024;
      default -> sparkSize.strip().toLowerCase(Locale.ROOT).endsWith("b") ? n / (1024 * 1024) : n; // MiB by default
    };
    return Math.max(1, mib);
  }

  /** A sample workload shipped in this jar (copied from samples/notebooks at build time). */
  static String sample(String file) {
    try (InputStream in = SparkNotebookEngine.class.getResourceAsStream("samples/" + file)) {
      if (in == null) {
        throw new IllegalStateException("sample " + file + " is missing from the kubemesh-spark jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
