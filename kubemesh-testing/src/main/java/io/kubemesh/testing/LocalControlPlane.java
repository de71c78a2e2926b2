package io.kubemesh.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on this machine, without containers: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler from {@code tools/control-plane/build.sh}, plus kwok
 * playing the kubelets of fake nodes so that Deployments, StatefulSets and Jobs progress.
 *
 * <p>Everything listens on free 127.0.0.1 ports; certificates, keys and kubeconfigs are generated
 * into a temp dir, which also holds the components' logs ({@link #logDir()}). {@link #close()} stops
 * the processes and deletes the temp dir; a shutdown hook does the same if the JVM exits first.
 *
 * <pre>{@code
 * try (LocalControlPlane cp = LocalControlPlane.builder().start()) {
 *   cp.client().namespaces().list();
 * }
 * }</pre>
 */
public final class LocalControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalControlPlane.class);

  /** The annotation kwok is told to look for: the nodes it plays. */
  public static final String KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
  public static final String KWOK_NODE_ANNOTATION_VALUE = "fake";
  public static final String SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/16";
  public static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
  /** The default StorageClass the fake provisioner serves (see {@link Builder#storage(boolean)}). */
  public static final String STORAGE_CLASS = "standard";
  /** The provisioner name of {@link #STORAGE_CLASS}. */
  public static final String STORAGE_PROVISIONER = "kubemesh.io/fake-local";

  private final Builder options;
  private final Path workDir;
  private final Path logDir;
  private final List<ComponentProcess> processes = Collections.synchronizedList(new ArrayList<>());
  private final Thread shutdownHook;
  private volatile boolean closed;
  private KubernetesClient client;
  private volatile Process watchdog;
  private Path kubeconfig;
  private String apiServerUrl;
  private String serverVersion;
  private Duration startupTime;
  private volatile FakeVolumeProvisioner provisioner;
  private volatile ComponentProcess apiServer;
  private List<String> apiServerCommand;
  private HttpClient adminHttp;

  private LocalControlPlane(Builder options) throws IOException {
    this.options = options;
    this.workDir = Files.createTempDirectory("kubemesh-cp-");
    this.logDir = workDir.resolve("logs");
    Files.createDirectories(logDir);
    this.shutdownHook = new Thread(this::stopAndClean, "kubemesh-control-plane-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for {@link LocalControlPlane}. */
  public static final class Builder {
    private ControlPlaneBinaries binaries;
    private int nodes = 3;
    private Duration startTimeout = Duration.ofMinutes(3);
    private boolean keepWorkDir;
    private boolean storage = true;

    private Builder() {
    }

    /**
     * Whether to install the default StorageClass {@value LocalControlPlane#STORAGE_CLASS} and a fake provisioner
     * for it, so that PersistentVolumeClaims bind (volumes are empty host directories nothing writes to); on by
     * default. Without it, claims stay Pending and pods that mount them are Unschedulable.
     */
    public Builder storage(boolean storage) {
      this.storage = storage;
      return this;
    }

    /** The binaries to run; default {@link ControlPlaneBinaries#locate()}. */
    public Builder binaries(ControlPlaneBinaries binaries) {
      this.binaries = Objects.requireNonNull(binaries);
      return this;
    }

    /** How many kwok nodes to create; default 3. */
    public Builder nodes(int nodes) {
      if (nodes < 0) {
        throw new IllegalArgumentException("nodes < 0");
      }
      this.nodes = nodes;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = Objects.requireNonNull(startTimeout);
      return this;
    }

    /** Keep the temp dir (logs, certificates) after close; also set by -Dkubemesh.controlPlane.keep=true. */
    public Builder keepWorkDir(boolean keep) {
      this.keepWorkDir = keep;
      return this;
    }

    /** Starts the control plane and waits until it is ready; fails with the components' log tails. */
    public LocalControlPlane start() {
      if (binaries == null) {
        binaries = ControlPlaneBinaries.locate();
      }
      binaries.problem().ifPresent(p -> {
        throw new IllegalStateException(p);
      });
      if (Boolean.getBoolean("kubemesh.controlPlane.keep")) {
        keepWorkDir = true;
      }
      for (int attempt = 1; ; attempt++) {
        LocalControlPlane cp;
        try {
          cp = new LocalControlPlane(this);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create the control plane's temp dir", e);
        }
        try {
          cp.startAll();
          return cp;
        } catch (RuntimeException | Error e) {
          String tails = cp.logTails(30);
          boolean portTaken = tails.contains("address already in use");
          cp.failed();
          if (portTaken && attempt < 3) {
            // A port we picked was taken by someone else between our probe and the bind.
            LOG.warn("a control-plane port was taken meanwhile; starting again (attempt {})", attempt + 1);
            deleteTree(cp.workDir, null);
            continue;
          }
          throw new IllegalStateException("local control plane failed to start: " + e.getMessage()
              + "\ncomponent logs kept in " + cp.logDir + "\n" + tails, e);
        }
      }
    }
  }

  private void startAll() {
    long t0 = System.nanoTime();
    long deadline = t0 + options.startTimeout.toNanos();
    ControlPlaneBinaries bin = options.binaries;
    Path pki = workDir.resolve("pki");
    Path etcdData = workDir.resolve("etcd");

    int etcdClientPort = PortAllocator.freeLoopbackPort();
    int etcdPeer = PortAllocator.freeLoopbackPort();
    int apiPort = PortAllocator.freeLoopbackPort();
    int kcmPort = PortAllocator.freeLoopbackPort();
    int schedPort = PortAllocator.freeLoopbackPort();
    int kwokPort = PortAllocator.freeLoopbackPort();
    apiServerUrl = "https://127.0.0.1:" + apiPort;

    // Certificates and keys.
    Pki ca = Pki.newCertificateAuthority("kubemesh-local-ca", Duration.ofDays(7));
    Pki.Issued serving = ca.issue("kube-apiserver", List.of(), true, false, List.of("127.0.0.1", "10.96.0.1",
        "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local"));
    Pki.Issued admin = ca.issue("kubemesh-admin", List.of("system:masters"), false, true, List.of());
    Pki.Issued kcm = ca.issue("system:kube-controller-manager", List.of(), false, true, List.of());
    Pki.Issued sched = ca.issue("system:kube-scheduler", List.of(), false, true, List.of());
    // kwok updates the status of many nodes and their pods: the Node authorizer would confine one
    // identity to one node, so it runs as an admin.
    Pki.Issued kwok = ca.issue("kwok-controller", List.of("system:masters"), false, true, List.of());
    KeyPair sa = Pki.rsaKeyPair();
    // etcd gets its own CA and accepts only the API server's client certificate.
    Pki etcdCa = Pki.newCertificateAuthority("kubemesh-etcd-ca", Duration.ofDays(7));
    Pki.Issued etcdServing = etcdCa.issue("etcd", List.of(), true, true, List.of("127.0.0.1", "localhost"));
    // (clientAuth too: etcd's gRPC gateway dials its own endpoint with its serving certificate.)
    Pki.Issued etcdClient = etcdCa.issue("kube-apiserver-etcd-client", List.of(), false, true, List.of());
    // The front proxy (aggregation layer) CA, as kubeadm sets it up; also what the controller-manager
    // and scheduler read from kube-system/extension-apiserver-authentication.
    Pki frontProxyCa = Pki.newCertificateAuthority("kubemesh-front-proxy-ca", Duration.ofDays(7));
    Pki.Issued frontProxyClient = frontProxyCa.issue("front-proxy-client", List.of(), false, true, List.of());

    Path caCrt = pki.resolve("ca.crt");
    Path caKey = pki.resolve("ca.key");
    Path apiCrt = pki.resolve("apiserver.crt");
    Path apiKey = pki.resolve("apiserver.key");
    Path saKey = pki.resolve("sa.key");
    Path saPub = pki.resolve("sa.pub");
    Kubeconfig.writePrivate(caCrt, ca.ca().certificatePem());
    Kubeconfig.writePrivate(caKey, ca.ca().privateKeyPem());
    Kubeconfig.writePrivate(apiCrt, serving.certificatePem());
    Kubeconfig.writePrivate(apiKey, serving.privateKeyPem());
    Kubeconfig.writePrivate(saKey, Pki.pem(sa.getPrivate()));
    Kubeconfig.writePrivate(saPub, Pki.pem(sa.getPublic()));
    Path etcdCaCrt = pki.resolve("etcd/ca.crt");
    Path etcdCrt = pki.resolve("etcd/server.crt");
    Path etcdKey = pki.resolve("etcd/server.key");
    Path etcdClientCrt = pki.resolve("apiserver-etcd-client.crt");
    Path etcdClientKey = pki.resolve("apiserver-etcd-client.key");
    Path frontProxyCaCrt = pki.resolve("front-proxy-ca.crt");
    Path frontProxyCrt = pki.resolve("front-proxy-client.crt");
    Path frontProxyKey = pki.resolve("front-proxy-client.key");
    Kubeconfig.writePrivate(etcdCaCrt, etcdCa.ca().certificatePem());
    Kubeconfig.writePrivate(etcdCrt, etcdServing.certificatePem());
    Kubeconfig.writePrivate(etcdKey, etcdServing.privateKeyPem());
    Kubeconfig.writePrivate(etcdClientCrt, etcdClient.certificatePem());
    Kubeconfig.writePrivate(etcdClientKey, etcdClient.privateKeyPem());
    Kubeconfig.writePrivate(frontProxyCaCrt, frontProxyCa.ca().certificatePem());
    Kubeconfig.writePrivate(frontProxyCrt, frontProxyClient.certificatePem());
    Kubeconfig.writePrivate(frontProxyKey, frontProxyClient.privateKeyPem());
    String caPem = ca.ca().certificatePem();
    kubeconfig = Kubeconfig.write(workDir.resolve("admin.kubeconfig"), "kubemesh-local", apiServerUrl, caPem,
        admin.certificatePem(), admin.privateKeyPem());
    Path kcmKubeconfig = Kubeconfig.write(workDir.resolve("controller-manager.kubeconfig"), "kubemesh-local",
        apiServerUrl, caPem, kcm.certificatePem(), kcm.privateKeyPem());
    Path schedKubeconfig = Kubeconfig.write(workDir.resolve("scheduler.kubeconfig"), "kubemesh-local",
        apiServerUrl, caPem, sched.certificatePem(), sched.privateKeyPem());
    Path kwokKubeconfig = Kubeconfig.write(workDir.resolve("kwok.kubeconfig"), "kubemesh-local",
        apiServerUrl, caPem, kwok.certificatePem(), kwok.privateKeyPem());
    LOG.debug("certificates written to {} in {} ms", pki, (System.nanoTime() - t0) / 1_000_000);

    // etcd
    String etcdUrl = "https://127.0.0.1:" + etcdClientPort;
    String peerUrl = "http://127.0.0.1:" + etcdPeer;
    ComponentProcess etcd = launch("etcd", List.of(bin.binary("etcd").toString(),
        "--name=kubemesh",
        "--data-dir=" + etcdData,
        "--listen-client-urls=" + etcdUrl,
        "--advertise-client-urls=" + etcdUrl,
        "--listen-peer-urls=" + peerUrl,
        "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=kubemesh=" + peerUrl,
        "--initial-cluster-state=new",
        "--cert-file=" + etcdCrt,
        "--key-file=" + etcdKey,
        "--client-cert-auth=true",
        "--trusted-ca-file=" + etcdCaCrt,
        // Test data: durability buys nothing, fsync costs seconds.
        "--unsafe-no-fsync=true",
        "--log-level=warn"));
    HttpClient etcdHttp = HttpClient.newBuilder().sslContext(sslContext(etcdCa.ca(), etcdClient))
        .connectTimeout(Duration.ofSeconds(2)).build();
    awaitUntil("etcd healthy at " + etcdUrl + "/health", deadline, List.of(etcd),
        () -> httpOk(etcdHttp, etcdUrl + "/health", "\"health\":\"true\""));

    // kube-apiserver
    apiServerCommand = List.of(bin.binary("kube-apiserver").toString(),
        "--etcd-servers=" + etcdUrl,
        "--etcd-cafile=" + etcdCaCrt,
        "--etcd-certfile=" + etcdClientCrt,
        "--etcd-keyfile=" + etcdClientKey,
        "--requestheader-client-ca-file=" + frontProxyCaCrt,
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--proxy-client-cert-file=" + frontProxyCrt,
        "--proxy-client-key-file=" + frontProxyKey,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiPort,
        "--cert-dir=" + workDir.resolve("apiserver-certs"),
        "--tls-cert-file=" + apiCrt,
        "--tls-private-key-file=" + apiKey,
        "--client-ca-file=" + caCrt,
        "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
        "--service-account-key-file=" + saPub,
        "--service-account-signing-key-file=" + saKey,
        "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
        "--authorization-mode=Node,RBAC",
        // The default plugins (NamespaceLifecycle, LimitRanger, ServiceAccount, PodSecurity,
        // ResourceQuota, the webhooks, ...) plus the one kubeadm adds.
        "--enable-admission-plugins=NodeRestriction",
        // The 'kubernetes' Service cannot point at a loopback address: keep it without endpoints.
        "--endpoint-reconciler-type=none",
        "--allow-privileged=true",
        "--profiling=false",
        "--v=1");
    ComponentProcess api = launch("kube-apiserver", apiServerCommand);
    apiServer = api;
    SSLContext tls = sslContext(ca.ca(), admin);
    HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build();
    adminHttp = https;
    awaitUntil("kube-apiserver ready at " + apiServerUrl + "/readyz", deadline, List.of(etcd, api),
        () -> httpOk(https, apiServerUrl + "/readyz", "ok"));
    Duration apiReady = Duration.ofNanos(System.nanoTime() - t0);

    // kube-controller-manager, kube-scheduler and kwok, once RBAC's bootstrap policy is in place
    // (/readyz includes it): started earlier, the controller-manager exits on a 403.
    List<ComponentProcess> all = new ArrayList<>(List.of(etcd, api));
    all.add(launch("kube-controller-manager", List.of(bin.binary("kube-controller-manager").toString(),
        "--kubeconfig=" + kcmKubeconfig,
        "--authentication-kubeconfig=" + kcmKubeconfig,
        "--authorization-kubeconfig=" + kcmKubeconfig,
        "--bind-address=127.0.0.1",
        "--secure-port=" + kcmPort,
        "--cert-dir=" + workDir.resolve("kcm-certs"),
        "--leader-elect=false",
        "--controllers=*",
        "--use-service-account-credentials=true",
        "--service-account-private-key-file=" + saKey,
        "--root-ca-file=" + caCrt,
        "--cluster-signing-cert-file=" + caCrt,
        "--cluster-signing-key-file=" + caKey,
        "--cluster-name=kubemesh",
        "--profiling=false",
        "--v=1")));
    all.add(launch("kube-scheduler", List.of(bin.binary("kube-scheduler").toString(),
        "--kubeconfig=" + schedKubeconfig,
        "--authentication-kubeconfig=" + schedKubeconfig,
        "--authorization-kubeconfig=" + schedKubeconfig,
        "--bind-address=127.0.0.1",
        "--secure-port=" + schedPort,
        "--cert-dir=" + workDir.resolve("scheduler-certs"),
        "--leader-elect=false",
        "--profiling=false",
        "--v=1")));
    all.add(launch("kwok", List.of(bin.binary("kwok").toString(),
        "--kubeconfig=" + kwokKubeconfig,
        "--config=" + bin.binary("kwok-stages.yaml"),
        "--manage-all-nodes=false",
        "--manage-nodes-with-annotation-selector=" + KWOK_NODE_ANNOTATION + "=" + KWOK_NODE_ANNOTATION_VALUE,
        "--node-lease-duration-seconds=40",
        "--server-address=127.0.0.1:" + kwokPort,
        "--cidr=10.244.0.0/16",
        "--node-ip=127.0.0.1")));

    startWatchdog(all);

    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(readString(kubeconfig))).build();
    for (int i = 0; i < options.nodes; i++) {
      client.nodes().resource(fakeNode("kwok-node-" + i)).create();
    }
    if (options.storage) {
      FakeVolumeProvisioner p = new FakeVolumeProvisioner(client, workDir.resolve("volumes"));
      provisioner = p;
      p.start();
    }
    awaitUntil(options.nodes + " kwok nodes Ready", deadline, all, this::allNodesReady);
    Duration nodesReady = Duration.ofNanos(System.nanoTime() - t0);
    awaitUntil("ServiceAccount default/default (controller-manager)", deadline, all,
        () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null);
    serverVersion = client.getKubernetesVersion().getGitVersion();
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
    LOG.info("local control plane {} up at {} in {} ms (apiserver ready after {} ms, nodes Ready after {} ms);"
        + " logs in {}", serverVersion, apiServerUrl, startupTime.toMillis(), apiReady.toMillis(),
        nodesReady.toMillis(), logDir);
  }

  /**
   * Stops kube-apiserver (SIGTERM, SIGKILL after 10 s) and leaves etcd, the controllers and kwok running: clients
   * see connections refused until {@link #startApiServer()}. For fault tests.
   */
  public synchronized void stopApiServer() {
    ComponentProcess api = apiServer;
    if (closed || api == null) {
      throw new IllegalStateException(closed ? "control plane closed" : "the API server is stopped already");
    }
    api.stop(10_000);
    processes.remove(api);
    apiServer = null;
    LOG.info("kube-apiserver at {} stopped", apiServerUrl);
  }

  /**
   * Starts kube-apiserver again with the same port, etcd, certificates and flags after {@link #stopApiServer()},
   * and waits until {@code /readyz} says ok (up to the builder's start timeout).
   *
   * @return how long it took until ready
   */
  public synchronized Duration startApiServer() {
    if (closed) {
      throw new IllegalStateException("control plane closed");
    }
    if (apiServer != null) {
      throw new IllegalStateException("the API server is running");
    }
    long t0 = System.nanoTime();
    ComponentProcess api;
    try {
      api = ComponentProcess.restart("kube-apiserver", apiServerCommand, workDir, logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start kube-apiserver again", e);
    }
    processes.add(api);
    apiServer = api;
    restartWatchdog();
    awaitUntil("kube-apiserver ready again at " + apiServerUrl + "/readyz",
        t0 + options.startTimeout.toNanos(), List.of(api), () -> httpOk(adminHttp, apiServerUrl + "/readyz", "ok"));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    LOG.info("kube-apiserver at {} ready again after {} ms", apiServerUrl, took.toMillis());
    return took;
  }

  /** Whether kube-apiserver is running (not stopped by {@link #stopApiServer()}). */
  public boolean apiServerRunning() {
    ComponentProcess api = apiServer;
    return api != null && api.isAlive();
  }

  /** How many volumes the fake provisioner has made so far (0 without {@link Builder#storage(boolean)}). */
  public long volumesProvisioned() {
    FakeVolumeProvisioner p = provisioner;
    return p == null ? 0 : p.provisioned();
  }

  private void restartWatchdog() {
    Process w = watchdog;
    if (w != null) {
      w.destroy();
    }
    List<ComponentProcess> now;
    synchronized (processes) {
      now = new ArrayList<>(processes);
    }
    startWatchdog(now);
  }

  private boolean allNodesReady() {
    List<Node> nodes = client.nodes().withLabel("type", "kwok").list().getItems();
    if (nodes.size() < options.nodes) {
      return false;
    }
    for (Node n : nodes) {
      boolean ready = n.getStatus() != null && n.getStatus().getConditions() != null
          && n.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ready) {
        return false;
      }
    }
    return true;
  }

  /** A Node that kwok manages: no taints, so ordinary pods schedule onto it. */
  static Node fakeNode(String name) {
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity("16"));
    capacity.put("memory", new Quantity("64Gi"));
    capacity.put("pods", new Quantity("110"));
    capacity.put("ephemeral-storage", new Quantity("100Gi"));
    return new NodeBuilder()
        .withNewMetadata()
          .withName(name)
          .addToAnnotations(KWOK_NODE_ANNOTATION, KWOK_NODE_ANNOTATION_VALUE)
          .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
          .addToLabels("type", "kwok")
          .addToLabels("kubernetes.io/hostname", name)
          .addToLabels("kubernetes.io/os", "linux")
          .addToLabels("kubernetes.io/arch", "amd64")
          .addToLabels("kubernetes.io/role", "agent")
          .addToLabels("node-role.kubernetes.io/agent", "")
        .endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus()
          .withCapacity(capacity)
          .withAllocatable(capacity)
          .withConditions(new NodeCondition(null, null, "kwok node, not yet initialised", "Pending",
              "Unknown", "Ready"))
        .endStatus()
        .build();
  }

  /**
   * A shell loop outside the JVM that stops the components and removes the temp dir if this JVM
   * dies without running its shutdown hook (SIGKILL, a crashed fork). Skipped where there is no sh.
   */
  private void startWatchdog(List<ComponentProcess> components) {
    Path sh = Path.of("/bin/sh");
    String dir = workDir.toString();
    if (!Files.isExecutable(sh) || dir.contains("'")) {
      return;
    }
    StringBuilder pids = new StringBuilder();
    for (ComponentProcess p : components) {
      pids.append(' ').append(p.pid());
    }
    String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 2; done; "
        + "kill -TERM" + pids + " 2>/dev/null; sleep 5; kill -KILL" + pids + " 2>/dev/null; "
        + (options.keepWorkDir ? "" : "rm -rf '" + dir + "'");
    try {
      watchdog = new ProcessBuilder(sh.toString(), "-c", script)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    } catch (IOException e) {
      LOG.warn("no watchdog for the control plane ({}); a killed JVM would leave its processes running", e.toString());
    }
  }

  private ComponentProcess launch(String name, List<String> command) {
    if (closed) {
      throw new IllegalStateException("control plane closed during start");
    }
    try {
      ComponentProcess p = ComponentProcess.start(name, command, workDir, logDir);
      processes.add(p);
      LOG.debug("started {}", p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
  }

  private static void awaitUntil(String what, long deadlineNanos, List<ComponentProcess> watched,
      BooleanSupplier condition) {
    RuntimeException last = null;
    while (true) {
      for (ComponentProcess p : watched) {
        p.requireAlive();
      }
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException("timed out waiting for " + what
            + (last == null ? "" : " (last error: " + last + ")"));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  private static boolean httpOk(HttpClient http, String url, String bodyContains) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains(bodyContains);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static SSLContext sslContext(Pki.Issued ca, Pki.Issued clientCert) {
    try {
      char[] pw = "kubemesh".toCharArray();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", clientCert.privateKey(), pw, new Certificate[] {clientCert.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, pw);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context", e);
    }
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An admin client (group system:masters); shared, do not close it. */
  public KubernetesClient client() {
    return client;
  }

  /** A kubeconfig file with admin credentials (valid until {@link #close()}). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public String apiServerUrl() {
    return apiServerUrl;
  }

  /** The API server's git version, e.g. v1.34.4. */
  public String serverVersion() {
    return serverVersion;
  }

  /** Time from start() to a ready cluster (API ready, nodes Ready, default ServiceAccount there). */
  public Duration startupTime() {
    return startupTime;
  }

  public Path logDir() {
    return logDir;
  }

  public ControlPlaneBinaries binaries() {
    return options.binaries;
  }

  /** Resident memory of each component in KiB (Linux), in start order. */
  public Map<String, Long> residentMemoryKib() {
    Map<String, Long> m = new LinkedHashMap<>();
    synchronized (processes) {
      for (ComponentProcess p : processes) {
        m.put(p.name(), p.rssKib());
      }
    }
    return m;
  }

  /** The last lines of every component's log, for failure messages. */
  public String logTails(int lines) {
    StringBuilder sb = new StringBuilder();
    synchronized (processes) {
      for (ComponentProcess p : processes) {
        sb.append("--- ").append(p.log()).append('\n').append(p.tail(lines)).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    stopAndClean();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down already.
    }
  }

  /** After a failed start: stop everything but keep the logs for the user. */
  private void failed() {
    stopProcesses();
    closed = true;
    deleteTree(workDir, logDir);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // shutting down
    }
  }

  private synchronized void stopAndClean() {
    if (closed) {
      return;
    }
    closed = true;
    FakeVolumeProvisioner p = provisioner;
    if (p != null) {
      p.close();
    }
    if (client != null) {
      client.close();
    }
    stopProcesses();
    if (options.keepWorkDir) {
      LOG.info("kept control plane dir {}", workDir);
    } else {
      deleteTree(workDir, null);
    }
  }

  private void stopProcesses() {
    FakeVolumeProvisioner fake = provisioner;
    if (fake != null) {
      fake.close();
    }
    Process w = watchdog;
    if (w != null) {
      w.destroy();
    }
    List<ComponentProcess> reversed;
    synchronized (processes) {
      reversed = new ArrayList<>(processes);
    }
    Collections.reverse(reversed);
    for (ComponentProcess p : reversed) {
      p.stop(10_000);
    }
  }

  /** Deletes a tree, except {@code keep} and its parents when not null. */
  static void deleteTree(Path root, Path keep) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return keep != null && dir.equals(keep) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          if (keep == null || !keep.startsWith(dir)) {
            Files.deleteIfExists(dir);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }

  @Override
  public String toString() {
    return "LocalControlPlane " + serverVersion + " at " + apiServerUrl + " (logs " + logDir + ")";
  }
}
