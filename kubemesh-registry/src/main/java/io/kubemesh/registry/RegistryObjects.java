package io.kubemesh.registry;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.EngineContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's Kubernetes objects: ConfigMap, volume claim, Deployment, services and its ingress policy.
 *
 * <p>Security and sizing, in one place: uid/gid 1000 (the image runs as root unless told otherwise; the registry
 * needs no privilege), {@code fsGroup} 1000 so the volume is writable, a read-only root filesystem with an
 * {@code emptyDir} at {@code /tmp}; requests 100m CPU and 128Mi, limits 1 CPU and 512Mi (uploads stream; S3 uploads
 * buffer one 10MB part per upload). The core adds the rest of the restricted security context.
 */
final class RegistryObjects {
  static final long UID = 1000;
  static final String CONTAINER = "registry";
  static final String CONFIG_HASH_ANNOTATION = "kubemesh.io/config-hash";

  private final Registry settings;
  private final EngineContext ctx;

  RegistryObjects(Registry settings, EngineContext ctx) {
    this.settings = settings;
    this.ctx = ctx;
  }

  void emit(String config, Optional<ObjectStore> store) {
    ctx.add(new ConfigMapBuilder().withNewMetadata().withName(RegistryEngine.CONFIG_MAP).endMetadata()
        .addToData("config.yml", config).build());
    if (store.isEmpty()) {
      var claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName(RegistryEngine.DATA_CLAIM).endMetadata()
          .withNewSpec().withAccessModes("ReadWriteOnce")
          .withNewResources().addToRequests("storage", new Quantity(settings.storageSize())).endResources()
          .endSpec();
      settings.storageClass().ifPresent(c -> claim.editSpec().withStorageClassName(c).endSpec());
      ctx.add(claim.build());
    }
    ctx.add(deployment(config, store));
    ctx.add(new ServiceBuilder().withNewMetadata().withName(RegistryEngine.SERVICE).endMetadata()
        .withNewSpec().withType("ClusterIP").withSelector(ctx.selectorLabels())
        .addNewPort().withName("registry").withProtocol("TCP").withPort(RegistryConfig.PORT)
        .withTargetPort(new IntOrString("registry")).endPort()
        .endSpec().build());
    // The nodes' container runtimes pull through this port; externalTrafficPolicy Cluster so that every node
    // answers, not only those running a registry pod.
    ctx.add(new ServiceBuilder().withNewMetadata().withName(RegistryEngine.NODE_SERVICE).endMetadata()
        .withNewSpec().withType("NodePort").withExternalTrafficPolicy("Cluster").withSelector(ctx.selectorLabels())
        .addNewPort().withName("registry").withProtocol("TCP").withPort(RegistryConfig.PORT)
        .withTargetPort(new IntOrString("registry")).withNodePort(settings.nodePort()).endPort()
        .endSpec().build());
    // The domain denies all ingress by default. Pulls arrive from node addresses (NodePort traffic is SNATed to
    // the node), which no namespace selector matches, so the registry port is open to every source; htpasswd
    // guards it. The debug port (health, pprof) stays closed to other namespaces.
    ctx.add(new NetworkPolicyBuilder().withNewMetadata().withName("registry-ingress").endMetadata()
        .withNewSpec().withNewPodSelector().withMatchLabels(ctx.selectorLabels()).endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress().addNewPort().withProtocol("TCP").withPort(new IntOrString(RegistryConfig.PORT)).endPort()
        .endIngress()
        .endSpec().build());
  }

  private io.fabric8.kubernetes.api.model.apps.Deployment deployment(String config, Optional<ObjectStore> store) {
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("config").withNewConfigMap().withName(RegistryEngine.CONFIG_MAP)
        .endConfigMap().build());
    mounts.add(mount("config", RegistryConfig.CONFIG_DIR));
    volumes.add(new VolumeBuilder().withName("auth").withNewSecret().withSecretName(RegistryEngine.AUTH_SECRET)
        .addNewItem().withKey(RegistryEngine.HTPASSWD_KEY).withPath("htpasswd").endItem().endSecret().build());
    mounts.add(mount("auth", RegistryConfig.AUTH_DIR));
    if (settings.tls()) {
      String secret = settings.tlsSecret().orElse(RegistryEngine.TLS_SECRET);
      volumes.add(new VolumeBuilder().withName("tls").withNewSecret().withSecretName(secret)
          .addNewItem().withKey("tls.crt").withPath("tls.crt").endItem()
          .addNewItem().withKey("tls.key").withPath("tls.key").endItem().endSecret().build());
      mounts.add(mount("tls", RegistryConfig.TLS_DIR));
    }
    if (store.isEmpty()) {
      volumes.add(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim()
          .withClaimName(RegistryEngine.DATA_CLAIM).endPersistentVolumeClaim().build());
      mounts.add(mount("data", RegistryConfig.DATA_DIR));
    }
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("1Gi"))
        .endEmptyDir().build());
    mounts.add(mount("tmp", "/tmp"));

    List<EnvVar> env = new ArrayList<>();
    env.add(secretEnv("REGISTRY_HTTP_SECRET", RegistryEngine.AUTH_SECRET, RegistryEngine.HTTP_SECRET_KEY));
    store.ifPresent(s -> {
      env.add(secretEnv("REGISTRY_STORAGE_S3_ACCESSKEY", s.credentialsSecret(), s.accessKeyKey()));
      env.add(secretEnv("REGISTRY_STORAGE_S3_SECRETKEY", s.credentialsSecret(), s.secretKeyKey()));
    });
    // distribution v3 exports OpenTelemetry traces to localhost:4318 unless told not to.
    env.add(new EnvVarBuilder().withName("OTEL_TRACES_EXPORTER").withValue("none").build());

    Container container = new ContainerBuilder().withName(CONTAINER).withImage(settings.image())
        .withArgs(RegistryConfig.CONFIG_FILE)
        .addNewPort().withName("registry").withContainerPort(RegistryConfig.PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("debug").withContainerPort(RegistryConfig.DEBUG_PORT).withProtocol("TCP").endPort()
        .withEnv(env)
        .withVolumeMounts(mounts)
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
        .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("512Mi"))
        .endResources()
        // Ready when the storage driver answers (health.storagedriver in the config); the debug server needs no
        // credentials, unlike /v2/ which answers 401 with htpasswd on.
        .withNewReadinessProbe().withNewHttpGet().withPath("/debug/health").withPort(new IntOrString("debug"))
        .withScheme("HTTP").endHttpGet().withPeriodSeconds(10).withFailureThreshold(3).endReadinessProbe()
        // Alive while it accepts connections; a storage outage makes it unready, not restarted.
        .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString("registry")).endTcpSocket()
        .withInitialDelaySeconds(5).withPeriodSeconds(20).withFailureThreshold(3).endLivenessProbe()
        .withNewSecurityContext().withReadOnlyRootFilesystem(true).withRunAsUser(UID).withRunAsGroup(UID)
        .endSecurityContext()
        .build();

    return new DeploymentBuilder().withNewMetadata().withName(RegistryEngine.NAME).endMetadata()
        .withNewSpec().withReplicas(settings.replicas())
        .withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
        // One pod owns a ReadWriteOnce volume: the old one must stop before the new one mounts it.
        .withNewStrategy().withType(store.isEmpty() ? "Recreate" : "RollingUpdate").endStrategy()
        .withNewTemplate()
        .withNewMetadata().withLabels(ctx.selectorLabels())
        .withAnnotations(Map.of(CONFIG_HASH_ANNOTATION, sha256(config))).endMetadata()
        .withNewSpec()
        .withNewSecurityContext().withRunAsUser(UID).withRunAsGroup(UID).withFsGroup(UID)
        .withFsGroupChangePolicy("OnRootMismatch").endSecurityContext()
        .withContainers(container)
        .withVolumes(volumes)
        .endSpec().endTemplate().endSpec().build();
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(!path.equals(RegistryConfig.DATA_DIR)
        && !path.equals("/tmp")).build();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
        .endSecretKeyRef().endValueFrom().build();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
