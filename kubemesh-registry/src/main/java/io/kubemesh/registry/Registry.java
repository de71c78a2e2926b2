package io.kubemesh.registry;

import io.kubemesh.core.engine.Engine;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A container image registry for the mesh: the settings behind {@code withRegistry(...)}.
 *
 * <p>Image {@code registry:3.0.0} (CNCF distribution v3, Apache-2.0), serving the OCI distribution API on port 5000:
 * the ClusterIP service {@code registry} for pods, and the NodePort service {@code registry-nodeport} (node port
 * 30500 by default) for the nodes' container runtimes, which pull images from the node's network and cannot resolve
 * a ClusterIP service name. Health is served on port 5001 ({@code /debug/health}, not exposed by any service).
 *
 * <p>Defaults, each safe on its own:
 * <ul>
 *   <li>Storage on a 10Gi volume of the cluster's default storage class, one replica.</li>
 *   <li>htpasswd authentication, bcrypt only, no anonymous access. Two identities: {@code push} and {@code pull},
 *       each with a generated password in a {@code kubernetes.io/basic-auth} Secret {@code registry-user-<name>} in
 *       the registry's namespace. htpasswd has no per-user authorisation: any identity that logs in may pull
 *       and push. The split only decides which credentials go where: {@code pull}'s go into a
 *       {@code registry-pull} Secret ({@code kubernetes.io/dockerconfigjson}) in every namespace that uses the
 *       registry, the pushers' stay in the registry's namespace.</li>
 *   <li>The address nodes use in image references is {@code localhost:30500}: every node answers on its node port
 *       on loopback (kube-proxy in iptables mode) and container runtimes (containerd, Docker) speak plain HTTP to
 *       {@code localhost} without any node configuration. Set {@link #address(String)} for a name every node
 *       resolves, and {@link #tls(String)} or trust it as insecure on every node (see below).</li>
 *   <li>No TLS unless given: the mesh has no CA yet. Non-root (uid 1000), read-only root filesystem, the HTTP secret
 *       shared by replicas generated, credentials passed by reference only.</li>
 * </ul>
 *
 * <p>An insecure (HTTP) registry at an address other than {@code localhost} needs, on every node: for containerd,
 * {@code /etc/containerd/certs.d/<address>/hosts.toml} with {@code server = "http://<address>"} and
 * {@code [host."http://<address>"] capabilities = ["pull", "resolve"]} (with {@code config_path} set in the CRI
 * registry config); for k3s, {@code /etc/rancher/k3s/registries.yaml} with
 * {@code mirrors: {"<address>": {endpoint: ["http://<address>"]}}}; for Docker, {@code insecure-registries}.
 *
 * <pre>{@code
 * Registry registry = Registry.defaults()
 *     .s3Storage()                       // blobs in the mesh's object store, so replicas can be > 1
 *     .replicas(2)
 *     .address("registry.acme.example:30500")
 *     .pushers("ci", "spark-images");
 * Engine engine = registry.engine();
 * }</pre>
 *
 * <p>Instances are immutable: every method returns a changed copy. Nothing is checked until the mesh is built, so
 * the order of calls never matters, and every problem is reported at once.
 */
public final class Registry {
  static final int DEFAULT_NODE_PORT = 30500;
  static final String PULL_IDENTITY = "pull";

  private final String image;
  private final String storageSize;
  private final String storageClass;
  private final boolean s3;
  private final String s3Bucket;
  private final int replicas;
  private final String tlsSecret;
  private final String tlsCertPem;
  private final String tlsKeyPem;
  private final boolean tlsPems;
  private final int nodePort;
  private final String address;
  private final List<String> pushers;

  private Registry(String image, String storageSize, String storageClass, boolean s3, String s3Bucket, int replicas,
      String tlsSecret, String tlsCertPem, String tlsKeyPem, boolean tlsPems, int nodePort, String address,
      List<String> pushers) {
    this.image = image;
    this.storageSize = storageSize;
    this.storageClass = storageClass;
    this.s3 = s3;
    this.s3Bucket = s3Bucket;
    this.replicas = replicas;
    this.tlsSecret = tlsSecret;
    this.tlsCertPem = tlsCertPem;
    this.tlsKeyPem = tlsKeyPem;
    this.tlsPems = tlsPems;
    this.nodePort = nodePort;
    this.address = address;
    this.pushers = List.copyOf(pushers);
  }

  /** One registry on a 10Gi volume with the defaults described above. */
  public static Registry defaults() {
    return new Registry(RegistryVersions.IMAGE, "10Gi", null, false, null, 1, null, null, null, false,
        DEFAULT_NODE_PORT, null, List.of("push"));
  }

  /** The size of the volume that holds the images, a Kubernetes quantity such as {@code 50Gi}. */
  public Registry storage(String size) {
    return new Registry(image, size, storageClass, s3, s3Bucket, replicas, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, nodePort, address, pushers);
  }

  /** The storage class of the volume; the cluster's default unless set. */
  public Registry storageClass(String className) {
    return new Registry(image, storageSize, className, s3, s3Bucket, replicas, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, nodePort, address, pushers);
  }

  /**
   * Keeps images in the mesh's object store (the domain's own, else the platform's) instead of a volume: under
   * {@code registry/} in the domain's home bucket. Needed for more than one replica.
   */
  public Registry s3Storage() {
    return new Registry(image, storageSize, storageClass, true, null, replicas, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, nodePort, address, pushers);
  }

  /**
   * Keeps images in a bucket of their own in the mesh's object store; the store must grant the bucket to the
   * registry's domain (for MinIO: declare it on the domain's {@code withMinio(...)}).
   */
  public Registry s3Storage(String bucket) {
    return new Registry(image, storageSize, storageClass, true, bucket, replicas, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, nodePort, address, pushers);
  }

  /** The number of registry pods; more than one needs {@link #s3Storage()}. */
  public Registry replicas(int count) {
    return new Registry(image, storageSize, storageClass, s3, s3Bucket, count, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, nodePort, address, pushers);
  }

  /** Serves TLS with the {@code tls.crt} and {@code tls.key} of an existing {@code kubernetes.io/tls} Secret. */
  public Registry tls(String certSecretName) {
    return new Registry(image, storageSize, storageClass, s3, s3Bucket, replicas, certSecretName, null, null, false,
        nodePort, address, pushers);
  }

  /**
   * Serves TLS with a PEM certificate (chain) and its PEM private key; kubemesh keeps them in a Secret
   * {@code registry-tls}. The certificate must name the {@link #address(String) address}.
   */
  public Registry tls(String certificatePem, String privateKeyPem) {
    return new Registry(image, storageSize, storageClass, s3, s3Bucket, replicas, null, certificatePem,
        privateKeyPem, true, nodePort, address, pushers);
  }

  /** The node port of the {@code registry-nodeport} service, 30000 to 32767; 30500 by default. */
  public Registry nodePort(int port) {
    return new Registry(image, storageSize, storageClass, s3, s3Bucket, replicas, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, port, address, pushers);
  }

  /**
   * The {@code host[:port]} nodes reach the registry at, the prefix of image references; {@code localhost:<node
   * port>} unless set.
   */
  public Registry address(String hostAndPort) {
    return new Registry(image, storageSize, storageClass, s3, s3Bucket, replicas, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, nodePort, hostAndPort, pushers);
  }

  /** The identities that push images, each with its own generated password; {@code push} unless set. */
  public Registry pushers(String... identities) {
    return new Registry(image, storageSize, storageClass, s3, s3Bucket, replicas, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, nodePort, address, List.of(identities));
  }

  /** Another registry image, pinned by tag or digest; it must be distribution v3 compatible. */
  public Registry image(String reference) {
    return new Registry(reference, storageSize, storageClass, s3, s3Bucket, replicas, tlsSecret, tlsCertPem,
        tlsKeyPem, tlsPems, nodePort, address, pushers);
  }

  /** The engine that runs this registry in a domain. */
  public Engine engine() {
    return new RegistryEngine(this);
  }

  // ------------------------------------------------------------------ read by the engine

  String image() {
    return image;
  }

  String storageSize() {
    return storageSize;
  }

  Optional<String> storageClass() {
    return Optional.ofNullable(storageClass);
  }

  boolean s3() {
    return s3;
  }

  Optional<String> s3Bucket() {
    return Optional.ofNullable(s3Bucket);
  }

  int replicas() {
    return replicas;
  }

  boolean tls() {
    return tlsSecret != null || tlsPems;
  }

  Optional<String> tlsSecret() {
    return Optional.ofNullable(tlsSecret);
  }

  /** Whether TLS comes as PEMs given to kubemesh rather than an existing Secret. */
  boolean tlsPems() {
    return tlsPems;
  }

  String tlsCertPem() {
    return tlsCertPem;
  }

  String tlsKeyPem() {
    return tlsKeyPem;
  }

  int nodePort() {
    return nodePort;
  }

  /** The address nodes use: the one set, else {@code localhost:<node port>}. */
  String address() {
    return address != null ? address : "localhost:" + nodePort;
  }

  boolean addressSet() {
    return address != null;
  }

  List<String> pushIdentities() {
    return pushers;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Registry r && image.equals(r.image) && Objects.equals(storageSize, r.storageSize)
        && Objects.equals(storageClass, r.storageClass) && s3 == r.s3 && Objects.equals(s3Bucket, r.s3Bucket)
        && replicas == r.replicas && Objects.equals(tlsSecret, r.tlsSecret)
        && Objects.equals(tlsCertPem, r.tlsCertPem) && Objects.equals(tlsKeyPem, r.tlsKeyPem)
        && tlsPems == r.tlsPems && nodePort == r.nodePort && Objects.equals(address, r.address)
        && pushers.equals(r.pushers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, storageSize, storageClass, s3, s3Bucket, replicas, tlsSecret, tlsCertPem, tlsKeyPem,
        tlsPems, nodePort, address, pushers);
  }

  /** The settings, never the TLS key. */
  @Override
  public String toString() {
    return "Registry[image=" + image + ", storage=" + (s3 ? "s3" + s3Bucket().map(b -> ":" + b).orElse("")
        : storageSize + storageClass().map(c -> " (" + c + ")").orElse("")) + ", replicas=" + replicas
        + ", tls=" + (tlsPems ? "pem" : tlsSecret != null ? "secret " + tlsSecret : "off") + ", address="
        + address() + ", pushers=" + pushers + "]";
  }
}
