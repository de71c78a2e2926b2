package io.kubemesh.testing;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test double for a volume provisioner: the default StorageClass {@value #STORAGE_CLASS} and a tiny external
 * provisioner for it, so that PersistentVolumeClaims bind on the local control plane and pods that mount them
 * schedule.
 *
 * <p>For every Pending claim of the class (claims without a class get it from the DefaultStorageClass admission
 * plugin, or retroactively from the PV controller) it creates a PersistentVolume of the requested size and access
 * modes with a {@code claimRef} to the claim; the controller-manager's PV controller binds the two. When a claim
 * of a provisioned volume is deleted, the Released volume is deleted (reclaim policy Delete). The volumes are
 * {@code hostPath} directories under the control plane's temp dir that nothing ever writes: kwok's pods do not run.
 * It stores nothing.
 */
final class FakeVolumeProvisioner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FakeVolumeProvisioner.class);

  static final String STORAGE_CLASS = LocalControlPlane.STORAGE_CLASS;
  static final String PROVISIONER = LocalControlPlane.STORAGE_PROVISIONER;
  static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";

  private final KubernetesClient client;
  private final Path volumes;
  private final AtomicLong provisioned = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private SharedIndexInformer<PersistentVolumeClaim> claims;
  private SharedIndexInformer<PersistentVolume> pvs;
  private volatile boolean closed;

  FakeVolumeProvisioner(KubernetesClient client, Path volumes) {
    this.client = client;
    this.volumes = volumes;
  }

  /** The StorageClass the provisioner serves, marked as the cluster's default. */
  static StorageClass storageClass() {
    return new StorageClassBuilder()
        .withNewMetadata().withName(STORAGE_CLASS)
          .addToAnnotations(DEFAULT_CLASS, "true")
          .addToLabels("app.kubernetes.io/managed-by", "kubemesh-testing")
        .endMetadata()
        .withProvisioner(PROVISIONER)
        .withVolumeBindingMode("Immediate")
        .withReclaimPolicy("Delete")
        .build();
  }

  /** Creates the StorageClass and starts watching claims and volumes. */
  /** A handler that looks at every added or changed object the same way; deletions need nothing. */
  private static <T> ResourceEventHandler<T> onAddOrUpdate(java.util.function.Consumer<T> look) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        look.accept(obj);
      }

      @Override
      public void onUpdate(T old, T obj) {
        look.accept(obj);
      }

      @Override
      public void onDelete(T obj, boolean unknown) {
      }
    };
  }

  void start() {
    client.storage().v1().storageClasses().resource(storageClass()).serverSideApply();
    claims = client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0);
    claims.exceptionHandler((started, t) -> !closed);
    claims.addEventHandler(onAddOrUpdate(this::provision));
    pvs = client.persistentVolumes().runnableInformer(0);
    pvs.exceptionHandler((started, t) -> !closed);
    pvs.addEventHandler(onAddOrUpdate(this::reclaim));
    claims.start().toCompletableFuture().join();
    pvs.start().toCompletableFuture().join();
  }

  long provisioned() {
    return provisioned.get();
  }

  long deleted() {
    return deleted.get();
  }

  /** Whether this provisioner should make a volume for the claim now. */
  static boolean wants(PersistentVolumeClaim pvc) {
    if (pvc.getMetadata().getDeletionTimestamp() != null || pvc.getSpec() == null) {
      return false;
    }
    boolean pending = pvc.getStatus() == null || pvc.getStatus().getPhase() == null
        || "Pending".equals(pvc.getStatus().getPhase());
    String volumeName = pvc.getSpec().getVolumeName();
    return pending && (volumeName == null || volumeName.isEmpty())
        && STORAGE_CLASS.equals(pvc.getSpec().getStorageClassName());
  }

  static String volumeName(PersistentVolumeClaim pvc) {
    return "pvc-" + pvc.getMetadata().getUid();
  }

  /** The volume for a claim: its size and access modes, bound to it by claimRef. */
  static PersistentVolume volumeFor(PersistentVolumeClaim pvc, Path dir) {
    Map<String, Quantity> requests = pvc.getSpec().getResources() == null ? null
        : pvc.getSpec().getResources().getRequests();
    Quantity size = requests == null || requests.get("storage") == null ? new Quantity("1Gi") : requests.get("storage");
    List<String> modes = pvc.getSpec().getAccessModes() == null || pvc.getSpec().getAccessModes().isEmpty()
        ? List.of("ReadWriteOnce") : pvc.getSpec().getAccessModes();
    return new PersistentVolumeBuilder()
        .withNewMetadata().withName(volumeName(pvc))
          .addToAnnotations(PROVISIONED_BY, PROVISIONER)
          .addToLabels("app.kubernetes.io/managed-by", "kubemesh-testing")
        .endMetadata()
        .withNewSpec()
          .addToCapacity("storage", size)
          .withAccessModes(modes)
          .withVolumeMode(pvc.getSpec().getVolumeMode() == null ? "Filesystem" : pvc.getSpec().getVolumeMode())
          .withStorageClassName(STORAGE_CLASS)
          .withPersistentVolumeReclaimPolicy("Delete")
          .withClaimRef(new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
              .withNamespace(pvc.getMetadata().getNamespace()).withName(pvc.getMetadata().getName())
              .withUid(pvc.getMetadata().getUid()).withResourceVersion(pvc.getMetadata().getResourceVersion())
              .build())
          .withNewHostPath().withPath(dir.toString()).withType("DirectoryOrCreate").endHostPath()
        .endSpec()
        .build();
  }

  private void provision(PersistentVolumeClaim pvc) {
    if (closed || !wants(pvc)) {
      return;
    }
    String id = pvc.getMetadata().getNamespace() + "/" + pvc.getMetadata().getName();
    Path dir = volumes.resolve(volumeName(pvc));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      LOG.debug("cannot create {}: {}", dir, e.toString());
    }
    try {
      client.persistentVolumes().resource(volumeFor(pvc, dir)).create();
      provisioned.incrementAndGet();
      LOG.debug("provisioned {} for claim {}", volumeName(pvc), id);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // 409: made already (an update of the same claim); the binder takes it from here
        LOG.warn("fake provisioner: no volume for claim {}: {}", id, e.getMessage());
      }
    }
  }

  private void reclaim(PersistentVolume pv) {
    if (closed || pv.getMetadata().getDeletionTimestamp() != null || pv.getStatus() == null) {
      return;
    }
    boolean ours = PROVISIONER.equals(pv.getMetadata().getAnnotations() == null ? null
        : pv.getMetadata().getAnnotations().get(PROVISIONED_BY));
    if (!ours || !"Released".equals(pv.getStatus().getPhase())
        || !"Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
      return;
    }
    try {
      client.persistentVolumes().withName(pv.getMetadata().getName()).delete();
      deleted.incrementAndGet();
      if (pv.getSpec().getHostPath() != null) {
        LocalControlPlane.deleteTree(Path.of(pv.getSpec().getHostPath().getPath()), null);
      }
    } catch (KubernetesClientException e) {
      LOG.debug("fake provisioner: could not delete {}: {}", pv.getMetadata().getName(), e.getMessage());
    }
  }

  /** Stops both informers and waits (up to 5 s each) until their watches are closed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SharedIndexInformer<?> informer : java.util.Arrays.asList(claims, pvs)) {
      if (informer == null) {
        continue;
      }
      informer.close();
      try {
        informer.stopped().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        LOG.debug("fake provisioner: informer did not stop cleanly: {}", e.toString());
      }
    }
  }
}
