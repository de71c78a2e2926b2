package io.kubemesh.minio;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.kubemesh.core.engine.EngineContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of one MinIO: server, services, storage, disruption budget, setup ConfigMap and Job.
 *
 * <p>Security settings the core does not set are chosen here, each with its reason: the upstream image runs as
 * any uid, so pods run as uid/gid 1000 with {@code fsGroup} 1000 owning the data volumes; the root filesystem is
 * read-only, with an emptyDir at {@code /tmp} as {@code HOME} (MinIO creates {@code ~/.minio/certs}, mc writes its
 * configuration there).
 */
final class MinioObjects {
  static final String ROOT_SECRET = "minio-root";
  static final String USERS_SECRET = "minio-users";
  static final String SETUP = "minio-setup";
  static final String SERVICE = MinioEngine.NAME;
  static final String HEADLESS_SERVICE = "minio-hl";
  static final String DATA_CLAIM = "minio-data";
  static final long UID = 1000L;
  static final String SETUP_DIR = "/etc/kubemesh/minio-setup";
  static final String USER_KEYS_DIR = "/etc/kubemesh/minio-users";

  private final Minio settings;
  private final EngineContext ctx;

  MinioObjects(Minio settings, EngineContext ctx) {
    this.settings = settings;
    this.ctx = ctx;
  }

  void emit(MinioSetup setup) {
    ctx.add(new ServiceBuilder()
        .withNewMetadata().withName(SERVICE).endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(ctx.selectorLabels())
        .addNewPort().withName("api").withPort(MinioEngine.API_PORT)
        .withTargetPort(new IntOrString("api")).withProtocol("TCP").endPort()
        .addNewPort().withName("console").withPort(MinioEngine.CONSOLE_PORT)
        .withTargetPort(new IntOrString("console")).withProtocol("TCP").endPort()
        .endSpec()
        .build());
    if (settings.isDistributed()) {
      emitDistributed();
    } else {
      emitStandalone();
    }
    emitSetup(setup);
  }

  // ------------------------------------------------------------------ standalone

  private void emitStandalone() {
    PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(DATA_CLAIM).endMetadata()
        .withSpec(claimSpec().build().getSpec());
    if (settings.localNode().isPresent()) {
      String name = localName();
      ctx.add(new StorageClassBuilder()
          .withNewMetadata().withName(name).endMetadata()
          .withProvisioner("kubernetes.io/no-provisioner")
          .withVolumeBindingMode("WaitForFirstConsumer")
          .withReclaimPolicy("Retain")
          .build());
      ctx.add(new PersistentVolumeBuilder()
          .withNewMetadata().withName(name).endMetadata()
          .withNewSpec()
          .addToCapacity("storage", new Quantity(settings.storageSize()))
          .withAccessModes("ReadWriteOnce")
          .withVolumeMode("Filesystem")
          .withPersistentVolumeReclaimPolicy("Retain")
          .withStorageClassName(name)
          .withNewLocal().withPath(settings.localPath().orElseThrow()).endLocal()
          .withNewClaimRef().withNamespace(ctx.namespace()).withName(DATA_CLAIM).endClaimRef()
          .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
          .withKey("kubernetes.io/hostname").withOperator("In").withValues(settings.localNode().orElseThrow())
          .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity()
          .endSpec()
          .build());
      claim.editSpec().withStorageClassName(name).withVolumeName(name).endSpec();
    }
    ctx.add(claim.build());

    List<String> args = List.of("server", "/data", "--console-address", ":" + MinioEngine.CONSOLE_PORT);
    PodSpec pod = podSpec(serverContainer(args, List.of(mount("data", "/data")),
            probe("/minio/health/live"), probe("/minio/health/ready")))
        .addToVolumes(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim()
            .withClaimName(DATA_CLAIM).endPersistentVolumeClaim().build())
        .build();
    ctx.add(new DeploymentBuilder()
        .withNewMetadata().withName(MinioEngine.NAME).endMetadata()
        .withNewSpec()
        .withReplicas(1)
        // One server owns the volume: the old pod must be gone before the new one mounts it.
        .withNewStrategy().withType("Recreate").endStrategy()
        .withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(ctx.selectorLabels()).endMetadata()
        .withSpec(pod).endTemplate()
        .endSpec()
        .build());
  }

  /** Cluster-scoped names must be unique across meshes and domains. */
  private String localName() {
    return ctx.mesh() + "-" + ctx.domain() + "-minio-local";
  }

  // ------------------------------------------------------------------ distributed

  /** The drive list every pod of a distributed server gets, in MinIO's ellipsis notation. */
  String distributedVolumes() {
    int pods = settings.pods();
    int drives = settings.drivesPerPod();
    String hosts = "http://" + MinioEngine.NAME + "-{0..." + (pods - 1) + "}." + HEADLESS_SERVICE + "."
        + ctx.namespace() + ".svc." + ctx.clusterDomain() + ":" + MinioEngine.API_PORT;
    return hosts + (drives == 1 ? "/data0" : "/data{0..." + (drives - 1) + "}");
  }

  private void emitDistributed() {
    int drives = settings.drivesPerPod();
    ctx.add(new ServiceBuilder()
        .withNewMetadata().withName(HEADLESS_SERVICE).endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        // Pods find each other before any is ready: readiness needs quorum, quorum needs DNS.
        .withPublishNotReadyAddresses(true)
        .withSelector(ctx.selectorLabels())
        .addNewPort().withName("api").withPort(MinioEngine.API_PORT)
        .withTargetPort(new IntOrString("api")).withProtocol("TCP").endPort()
        .endSpec()
        .build());

    List<VolumeMount> mounts = new ArrayList<>();
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    for (int i = 0; i < drives; i++) {
      mounts.add(mount("data" + i, "/data" + i));
      claims.add(claimSpec().editMetadata().withName("data" + i).endMetadata().build());
    }
    List<String> args = List.of("server", distributedVolumes(), "--console-address", ":" + MinioEngine.CONSOLE_PORT);
    PodSpec pod = podSpec(serverContainer(args, mounts, probe("/minio/health/live"), probe("/minio/health/ready")))
        .withNewAffinity().withNewPodAntiAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100).withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
        .withNewLabelSelector().withMatchLabels(ctx.selectorLabels()).endLabelSelector()
        .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity()
        .build();
    ctx.add(new StatefulSetBuilder()
        .withNewMetadata().withName(MinioEngine.NAME).endMetadata()
        .withNewSpec()
        .withReplicas(settings.pods())
        .withServiceName(HEADLESS_SERVICE)
        // Ordered start would deadlock: pod 0 waits for a quorum that later pods provide.
        .withPodManagementPolicy("Parallel")
        .withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(ctx.selectorLabels()).endMetadata()
        .withSpec(pod).endTemplate()
        .withVolumeClaimTemplates(claims)
        .endSpec()
        .build());
    ctx.add(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(MinioEngine.NAME).endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
        .endSpec()
        .build());
  }

  // ------------------------------------------------------------------ setup Job

  private void emitSetup(MinioSetup setup) {
    Map<String, String> files = setup.files();
    ctx.add(new ConfigMapBuilder()
        .withNewMetadata().withName(SETUP).endMetadata()
        .withData(files)
        .build());
    Container mc = new ContainerBuilder()
        .withName("setup")
        .withImage(settings.clientImage())
        .withCommand("/bin/sh", SETUP_DIR + "/" + MinioSetup.SCRIPT)
        .withEnv(List.of(
            env("MINIO_URL", "http://" + ctx.serviceHost(SERVICE) + ":" + MinioEngine.API_PORT),
            secretEnv("MINIO_ROOT_USER"),
            secretEnv("MINIO_ROOT_PASSWORD"),
            env("KUBEMESH_SETUP_DIR", SETUP_DIR),
            env("KUBEMESH_USER_KEYS_DIR", USER_KEYS_DIR),
            env("MC_CONFIG_DIR", "/tmp/mc"),
            env("HOME", "/tmp")))
        .withVolumeMounts(mount("setup", SETUP_DIR, true), mount("user-keys", USER_KEYS_DIR, true),
            mount("tmp", "/tmp"))
        .withNewResources()
        .addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("64Mi"))
        .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("256Mi"))
        .endResources()
        .withSecurityContext(containerSecurity())
        .build();
    PodSpec pod = new PodSpecBuilder()
        .withRestartPolicy("OnFailure")
        .withSecurityContext(new PodSecurityContextBuilder().withRunAsUser(UID).withRunAsGroup(UID).build())
        .withContainers(mc)
        .withVolumes(
            new VolumeBuilder().withName("setup").withNewConfigMap().withName(SETUP).withDefaultMode(0444)
                .endConfigMap().build(),
            new VolumeBuilder().withName("user-keys").withNewSecret().withSecretName(USERS_SECRET)
                .withDefaultMode(0400).endSecret().build(),
            emptyDir("tmp"))
        .build();
    ctx.add(new JobBuilder()
        // The name follows the setup's content, so a changed setup runs as a new Job (Jobs are immutable).
        .withNewMetadata().withName(SETUP + "-" + hash(files)).endMetadata()
        .withNewSpec()
        .withBackoffLimit(6)
        // mc waits for the server to be ready (cluster quorum when distributed); give up after 15 minutes.
        .withActiveDeadlineSeconds(900L)
        .withNewTemplate().withNewMetadata().endMetadata().withSpec(pod).endTemplate()
        .endSpec()
        .build());
  }

  // ------------------------------------------------------------------ shared pieces

  private PersistentVolumeClaimBuilder claimSpec() {
    PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder()
        .withNewMetadata().endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity(settings.storageSize())).endResources()
        .endSpec();
    settings.storageClass().ifPresent(sc -> b.editSpec().withStorageClassName(sc).endSpec());
    return b;
  }

  private PodSpecBuilder podSpec(Container server) {
    return new PodSpecBuilder()
        .withSecurityContext(new PodSecurityContextBuilder()
            .withRunAsUser(UID).withRunAsGroup(UID).withFsGroup(UID)
            // Change ownership of a volume only when its root is not ours yet: large drives mount fast.
            .withFsGroupChangePolicy("OnRootMismatch")
            .build())
        .withTerminationGracePeriodSeconds(30L)
        .withContainers(server)
        .withVolumes(emptyDir("tmp"));
  }

  private Container serverContainer(List<String> args, List<VolumeMount> dataMounts, Probe liveness,
      Probe readiness) {
    List<VolumeMount> mounts = new ArrayList<>(dataMounts);
    mounts.add(mount("tmp", "/tmp"));
    return new ContainerBuilder()
        .withName(MinioEngine.NAME)
        .withImage(settings.image())
        .withArgs(args)
        .addNewPort().withName("api").withContainerPort(MinioEngine.API_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("console").withContainerPort(MinioEngine.CONSOLE_PORT).withProtocol("TCP").endPort()
        .withEnv(List.of(
            secretEnv("MINIO_ROOT_USER"),
            secretEnv("MINIO_ROOT_PASSWORD"),
            // MINIO_REGION is the legacy name in this release; MINIO_SITE_REGION is the current one.
            env("MINIO_SITE_REGION", settings.region()),
            // Updates come from a new pinned image, never from the server downloading itself.
            env("MINIO_UPDATE", "off"),
            env("HOME", "/tmp")))
        .withVolumeMounts(mounts)
        .withLivenessProbe(liveness)
        .withReadinessProbe(readiness)
        .withNewResources()
        .addToRequests("cpu", new Quantity(settings.cpuRequest()))
        .addToRequests("memory", new Quantity(settings.memoryRequest()))
        .addToLimits("cpu", new Quantity(settings.cpuLimit()))
        .addToLimits("memory", new Quantity(settings.memoryLimit()))
        .endResources()
        .withSecurityContext(containerSecurity())
        .build();
  }

  private static io.fabric8.kubernetes.api.model.SecurityContext containerSecurity() {
    return new SecurityContextBuilder().withReadOnlyRootFilesystem(true).build();
  }

  private static Probe probe(String path) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString("api")).withScheme("HTTP").endHttpGet()
        .withInitialDelaySeconds(5)
        .withPeriodSeconds(10)
        .withTimeoutSeconds(5)
        .withFailureThreshold(6)
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secretEnv(String key) {
    return new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef()
        .withName(ROOT_SECRET).withKey(key).endSecretKeyRef().endValueFrom().build();
  }

  private static VolumeMount mount(String volume, String path) {
    return mount(volume, path, false);
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly ? true : null).build();
  }

  private static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  private static String hash(Map<String, String> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      files.forEach((k, v) -> {
        digest.update(k.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(v.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      });
      return HexFormat.of().formatHex(digest.digest()).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
