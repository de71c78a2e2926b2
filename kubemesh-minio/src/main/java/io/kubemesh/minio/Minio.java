package io.kubemesh.minio;

import io.kubemesh.core.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * MinIO object storage for a domain: the settings behind {@code withMinio(...)}.
 *
 * <p>Image {@code quay.io/minio/minio} (a pinned {@code RELEASE.*} tag), S3 API on port 9000 (service port
 * {@code api}), web console on port 9001 ({@code console}), both on the ClusterIP service {@code minio} in the
 * domain's namespace. Buckets, users and policies are set up by a Job running the pinned {@code quay.io/minio/mc}.
 *
 * <p>Defaults, each safe on its own: one standalone server on a 10Gi volume of the cluster's default storage
 * class; root credentials generated into a Secret and passed by reference, never as literals; one bucket named
 * after the domain ({@code <domain>-data} when the domain name is too short for S3); region {@code us-east-1};
 * non-root with a read-only root filesystem. Every domain that uses the store gets its own MinIO user, with a
 * policy limited to its buckets, and its credentials in a Secret in its own namespace.
 *
 * <pre>{@code
 * Minio store = Minio.defaults()
 *     .bucket("orders")
 *     .storageSize("50Gi")
 *     .distributed(4)
 *     .drivesPerPod(2);
 * Engine engine = store.engine();
 * }</pre>
 *
 * <p>Instances are immutable: every method returns a changed copy. Nothing is checked or built until the mesh is
 * built, so the order of calls never matters.
 */
public final class Minio {
  private final boolean distributed;
  private final int pods;
  private final int drivesPerPod;
  private final List<String> buckets;
  private final String storageSize;
  private final String storageClass;
  private final String localNode;
  private final String localPath;
  private final String image;
  private final String clientImage;
  private final String region;
  private final String cpuRequest;
  private final String memoryRequest;
  private final String cpuLimit;
  private final String memoryLimit;

  private Minio(boolean distributed, int pods, int drivesPerPod, List<String> buckets, String storageSize,
      String storageClass, String localNode, String localPath, String image, String clientImage, String region,
      String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
    this.distributed = distributed;
    this.pods = pods;
    this.drivesPerPod = drivesPerPod;
    this.buckets = List.copyOf(buckets);
    this.storageSize = storageSize;
    this.storageClass = storageClass;
    this.localNode = localNode;
    this.localPath = localPath;
    this.image = image;
    this.clientImage = clientImage;
    this.region = region;
    this.cpuRequest = cpuRequest;
    this.memoryRequest = memoryRequest;
    this.cpuLimit = cpuLimit;
    this.memoryLimit = memoryLimit;
  }

  /** A standalone server with the defaults described above. */
  public static Minio defaults() {
    return new Minio(false, 1, 1, List.of(), "10Gi", null, null, null, MinioVersions.SERVER_IMAGE,
        MinioVersions.CLIENT_IMAGE, "us-east-1", "250m", "512Mi", "2", "2Gi");
  }

  /**
   * A distributed (erasure-coded) server of {@code pods} pods, at least 4: a StatefulSet whose pods all run the
   * same command over every drive, with a PodDisruptionBudget and pod anti-affinity.
   */
  public Minio distributed(int pods) {
    return copy(b -> {
      b.distributed = true;
      b.pods = pods;
    });
  }

  /** Drives (volumes) per pod of a distributed server; 1 by default. */
  public Minio drivesPerPod(int drives) {
    return copy(b -> b.drivesPerPod = drives);
  }

  /** Adds a bucket besides the domain's own, for example a data product other domains read. */
  public Minio bucket(String name) {
    return copy(b -> b.buckets.add(Objects.requireNonNull(name, "bucket")));
  }

  /** Size of each drive's volume, a Kubernetes quantity; 10Gi by default. */
  public Minio storageSize(String size) {
    return copy(b -> b.storageSize = Objects.requireNonNull(size, "storageSize"));
  }

  /** Storage class of the volumes; the cluster's default class unless set. */
  public Minio storageClass(String name) {
    return copy(b -> b.storageClass = Objects.requireNonNull(name, "storageClass"));
  }

  /**
   * Keeps the data of a standalone server in {@code path} on the node {@code node}, for clusters without a
   * volume provisioner (bare metal): a local PersistentVolume pinned to the node, reclaim policy Retain, and a
   * no-provisioner StorageClass that binds when the pod is scheduled.
   */
  public Minio localVolume(String node, String path) {
    return copy(b -> {
      b.localNode = Objects.requireNonNull(node, "node");
      b.localPath = Objects.requireNonNull(path, "path");
    });
  }

  /** The server image, pinned by tag or digest; the pinned upstream release by default. */
  public Minio image(String reference) {
    return copy(b -> b.image = Objects.requireNonNull(reference, "image"));
  }

  /** The {@code mc} client image the setup Job runs, pinned by tag or digest. */
  public Minio clientImage(String reference) {
    return copy(b -> b.clientImage = Objects.requireNonNull(reference, "clientImage"));
  }

  /** The S3 region the server reports; {@code us-east-1} by default. */
  public Minio region(String name) {
    return copy(b -> b.region = Objects.requireNonNull(name, "region"));
  }

  /** CPU and memory of each server pod, as requests and limits alike (Guaranteed QoS). */
  public Minio resources(String cpu, String memory) {
    return resources(cpu, memory, cpu, memory);
  }

  /** CPU and memory requests and limits of each server pod; 250m/512Mi requested, 2/2Gi at most by default. */
  public Minio resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
    return copy(b -> {
      b.cpuRequest = Objects.requireNonNull(cpuRequest, "cpuRequest");
      b.memoryRequest = Objects.requireNonNull(memoryRequest, "memoryRequest");
      b.cpuLimit = Objects.requireNonNull(cpuLimit, "cpuLimit");
      b.memoryLimit = Objects.requireNonNull(memoryLimit, "memoryLimit");
    });
  }

  /** The engine for these settings, to hand to a domain. */
  public Engine engine() {
    return new MinioEngine(this);
  }

  @Override
  public String toString() {
    return "Minio[" + (distributed ? "distributed" : "standalone") + ", pods=" + pods + ", drivesPerPod="
        + drivesPerPod + ", buckets=" + buckets + ", storageSize=" + storageSize + ", image=" + image + "]";
  }

  // ------------------------------------------------------------------ package-private view for the engine

  int pods() {
    return pods;
  }

  boolean isDistributed() {
    return distributed;
  }

  int drivesPerPod() {
    return drivesPerPod;
  }

  List<String> buckets() {
    return buckets;
  }

  String storageSize() {
    return storageSize;
  }

  Optional<String> storageClass() {
    return Optional.ofNullable(storageClass);
  }

  Optional<String> localNode() {
    return Optional.ofNullable(localNode);
  }

  Optional<String> localPath() {
    return Optional.ofNullable(localPath);
  }

  String image() {
    return image;
  }

  String clientImage() {
    return clientImage;
  }

  String region() {
    return region;
  }

  String cpuRequest() {
    return cpuRequest;
  }

  String memoryRequest() {
    return memoryRequest;
  }

  String cpuLimit() {
    return cpuLimit;
  }

  String memoryLimit() {
    return memoryLimit;
  }

  private Minio copy(java.util.function.Consumer<Mutable> change) {
    Mutable m = new Mutable(this);
    change.accept(m);
    return new Minio(m.distributed, m.pods, m.drivesPerPod, m.buckets, m.storageSize, m.storageClass, m.localNode,
        m.localPath, m.image, m.clientImage, m.region, m.cpuRequest, m.memoryRequest, m.cpuLimit, m.memoryLimit);
  }

  private static final class Mutable {
    boolean distributed;
    int pods;
    int drivesPerPod;
    List<String> buckets;
    String storageSize;
    String storageClass;
    String localNode;
    String localPath;
    String image;
    String clientImage;
    String region;
    String cpuRequest;
    String memoryRequest;
    String cpuLimit;
    String memoryLimit;

    Mutable(Minio m) {
      distributed = m.distributed;
      pods = m.pods;
      drivesPerPod = m.drivesPerPod;
      buckets = new ArrayList<>(m.buckets);
      storageSize = m.storageSize;
      storageClass = m.storageClass;
      localNode = m.localNode;
      localPath = m.localPath;
      image = m.image;
      clientImage = m.clientImage;
      region = m.region;
      cpuRequest = m.cpuRequest;
      memoryRequest = m.memoryRequest;
      cpuLimit = m.cpuLimit;
      memoryLimit = m.memoryLimit;
    }
  }
}
