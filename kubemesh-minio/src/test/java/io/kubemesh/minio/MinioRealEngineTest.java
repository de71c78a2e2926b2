package io.kubemesh.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.secret.SecretValues;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup Job's script, byte for byte, against a real MinIO server: the platform domain's MinIO of
 * {@link MinioMeshes#wired}, which holds the platform's own buckets, a bucket each for two domains that use it
 * ({@code people}, {@code finance}) and a bucket that {@code marketing} reads.
 *
 * <p>The server and {@code mc} are the pinned upstream releases built by {@code tools/minio/build.sh}, run as
 * separate, unmodified programs (AGPL-3.0; never linked).
 */
@Tag("real-engine")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MinioRealEngineTest {
  // mc's wording for a 403 on upload ("Insufficient permissions ...") and elsewhere ("Access Denied.")
  private static final String[] DENIED = {"Insufficient permissions", "Access Denied"};
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private Path tmp;

  private MinioBinaries bin;
  private Process server;
  private String url;
  private Map<String, String> scriptEnv;
  private Map<String, String> userKeys;
  private Path setupScript;

  @BeforeAll
  void startServerAndRunSetup(@TempDir Path dir) throws Exception {
    tmp = dir;
    bin = MinioBinaries.locate();
    System.out.println("real-engine proofs run on: " + bin.version(bin.minio()) + ", client "
        + bin.version(bin.mc()) + " (binaries in " + bin.dir + ")");

    MeshModel model = MinioMeshes.wired(new MinioMeshes.Reader(), new MinioMeshes.StoreUser(),
        new MinioMeshes.StoreUser());
    SecretValues values = SecretValues.seeded(42);
    Map<String, String> root = MinioMeshes.secretData(model, values, "platform", MinioObjects.ROOT_SECRET);
    userKeys = MinioMeshes.secretData(model, values, "platform", MinioObjects.USERS_SECRET);

    // The ConfigMap and the Secret as the Job mounts them.
    Path setupDir = Files.createDirectories(tmp.resolve("setup"));
    for (Map.Entry<String, String> f : MinioMeshes.setupFiles(model, "platform").entrySet()) {
      Files.writeString(setupDir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
    }
    setupScript = setupDir.resolve(MinioSetup.SCRIPT);
    Path keysDir = Files.createDirectories(tmp.resolve("user-keys"));
    for (Map.Entry<String, String> k : userKeys.entrySet()) {
      Path file = keysDir.resolve(k.getKey());
      Files.writeString(file, k.getValue(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    }

    int port = MinioBinaries.freePort();
    int consolePort = MinioBinaries.freePort();
    url = "http://127.0.0.1:" + port;
    Map<String, String> serverEnv = new HashMap<>(literalEnv(model));
    serverEnv.put("MINIO_ROOT_USER", root.get("MINIO_ROOT_USER"));
    serverEnv.put("MINIO_ROOT_PASSWORD", root.get("MINIO_ROOT_PASSWORD"));
    serverEnv.put("HOME", Files.createDirectories(tmp.resolve("server-home")).toString());
    Path log = tmp.resolve("minio.log");
    ProcessBuilder pb = new ProcessBuilder(bin.minio().toString(), "server", tmp.resolve("data").toString(),
        "--address", "127.0.0.1:" + port, "--console-address", "127.0.0.1:" + consolePort)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("MINIO_"));
    pb.environment().putAll(serverEnv);
    server = pb.start();
    awaitReady(log);

    scriptEnv = new HashMap<>();
    scriptEnv.put("PATH", bin.dir + ":" + System.getenv("PATH"));
    scriptEnv.put("MINIO_URL", url);
    scriptEnv.put("MINIO_ROOT_USER", root.get("MINIO_ROOT_USER"));
    scriptEnv.put("MINIO_ROOT_PASSWORD", root.get("MINIO_ROOT_PASSWORD"));
    scriptEnv.put("KUBEMESH_SETUP_DIR", setupDir.toString());
    scriptEnv.put("KUBEMESH_USER_KEYS_DIR", keysDir.toString());
    scriptEnv.put("MC_CONFIG_DIR", Files.createDirectories(tmp.resolve("mc-admin")).toString());
    scriptEnv.put("HOME", Files.createDirectories(tmp.resolve("job-home")).toString());

    MinioBinaries.Result first = runSetup();
    System.out.println("first setup run:\n" + first.out());
    assertThat(first.exit()).as("first run of setup.sh:\n%s", first.out()).isZero();
  }

  @AfterAll
  void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  @Order(1)
  void aDomainReadsAndWritesItsOwnBucket() {
    assertThat(as("people", "pipe", "u/people/hello.txt", "hello people").exit()).isZero();
    MinioBinaries.Result read = as("people", "cat", "u/people/hello.txt", null);
    assertThat(read.exit()).isZero();
    assertThat(read.out()).isEqualTo("hello people");
    assertThat(as("people", "ls", "u/people", null).out()).contains("hello.txt");
  }

  @Test
  @Order(2)
  void aDomainCannotTouchAnotherDomainsBucket() {
    assertThat(as("finance", "pipe", "u/finance/ledger.csv", "a,b").exit()).isZero();
    MinioBinaries.Result write = as("people", "pipe", "u/finance/intruder.txt", "nope");
    assertThat(write.exit()).as(write.out()).isNotZero();
    assertThat(write.out()).containsAnyOf(DENIED);
    assertThat(as("people", "cat", "u/finance/ledger.csv", null).exit()).isNotZero();
    assertThat(as("people", "ls", "u/finance", null).exit()).isNotZero();
    assertThat(as("people", "pipe", "u/reports/intruder.txt", "nope").exit()).isNotZero();
  }

  @Test
  @Order(3)
  void aReaderReadsButCannotWrite() {
    assertThat(as("platform", "pipe", "u/reports/q1.csv", "quarter,revenue\nq1,42\n").exit()).isZero();
    MinioBinaries.Result read = as("marketing", "cat", "u/reports/q1.csv", null);
    assertThat(read.exit()).as(read.out()).isZero();
    assertThat(read.out()).isEqualTo("quarter,revenue\nq1,42\n");
    assertThat(as("marketing", "ls", "u/reports", null).out()).contains("q1.csv");

    MinioBinaries.Result write = as("marketing", "pipe", "u/reports/defaced.csv", "x");
    assertThat(write.exit()).as(write.out()).isNotZero();
    assertThat(write.out()).containsAnyOf(DENIED);
    assertThat(as("marketing", "rm", "u/reports/q1.csv", null).exit()).isNotZero();
    assertThat(as("marketing", "cat", "u/people/hello.txt", null).exit()).isNotZero();
  }

  @Test
  @Order(4)
  void runningTheSetupAgainSucceedsAndChangesNothing() {
    String before = state();
    MinioBinaries.Result second = runSetup();
    assertThat(second.exit()).as("second run of setup.sh:\n%s", second.out()).isZero();
    assertThat(state()).isEqualTo(before);
    assertThat(as("people", "cat", "u/people/hello.txt", null).out()).isEqualTo("hello people");
    assertThat(as("marketing", "cat", "u/reports/q1.csv", null).exit()).isZero();
    assertThat(as("marketing", "pipe", "u/reports/defaced.csv", "x").exit()).isNotZero();
  }

  // ------------------------------------------------------------------ helpers

  private MinioBinaries.Result runSetup() {
    return MinioBinaries.run(List.of("/bin/sh", setupScript.toString()), scriptEnv, null, 120);
  }

  /** Buckets with their objects, users with their policies, and each policy's document, as root sees them. */
  private String state() {
    StringBuilder sb = new StringBuilder();
    sb.append(admin("ls", "--recursive", "kubemesh"));
    // users (status, access key, policy) come back in any order
    admin("admin", "user", "list", "kubemesh").lines().map(String::strip).sorted()
        .forEach(line -> sb.append(line).append('\n'));
    for (String policy : List.of("kubemesh-platform", "kubemesh-people", "kubemesh-finance", "kubemesh-marketing")) {
      // Compare the policy document: MinIO keeps actions and resources as sets (any order), and a policy that is
      // written again with the same document gets a new UpdateDate.
      Map<?, ?> info = (Map<?, ?>) json(admin("admin", "policy", "info", "kubemesh", policy));
      sb.append(policy).append(": ").append(sorted(info.get("Policy"))).append('\n');
    }
    return sb.toString().replaceAll("\\[[0-9-]+ [0-9:]+ [A-Z]+\\]", "[date]");
  }

  private static Object json(String text) {
    return JSON.unmarshal(text, Map.class);
  }

  /** A copy with every list sorted by its elements' text and every map by key, so set-valued fields compare. */
  private static Object sorted(Object node) {
    if (node instanceof List<?> list) {
      return list.stream().map(MinioRealEngineTest::sorted).map(String::valueOf).sorted().toList();
    }
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new java.util.TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    return node;
  }

  private String admin(String... args) {
    Map<String, String> env = new HashMap<>(scriptEnv);
    env.put("MC_HOST_kubemesh", url.replace("://", "://" + scriptEnv.get("MINIO_ROOT_USER") + ":"
        + scriptEnv.get("MINIO_ROOT_PASSWORD") + "@"));
    List<String> command = new java.util.ArrayList<>(List.of(bin.mc().toString(), "--quiet", "--no-color"));
    command.addAll(List.of(args));
    MinioBinaries.Result r = MinioBinaries.run(command, env, null, 60);
    assertThat(r.exit()).as("mc %s:\n%s", String.join(" ", args), r.out()).isZero();
    return r.out();
  }

  /** Runs {@code mc <verb> <target>} with the credentials the consumer domain's Secret holds. */
  private MinioBinaries.Result as(String user, String verb, String target, String stdin) {
    Map<String, String> env = new HashMap<>();
    env.put("MC_CONFIG_DIR", tmp.resolve("mc-" + user).toString());
    env.put("HOME", tmp.resolve("mc-" + user).toString());
    env.put("MC_HOST_u", url.replace("://", "://" + user + ":" + userKeys.get(user) + "@"));
    return MinioBinaries.run(List.of(bin.mc().toString(), "--quiet", "--no-color", verb, target), env, stdin, 60);
  }

  /** The literal environment the rendered Deployment gives the server (region, update policy). */
  private static Map<String, String> literalEnv(MeshModel model) {
    Deployment d = MinioMeshes.find(MinioMeshes.objects(model), Deployment.class, "platform", "minio");
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValue() != null && !e.getName().equals("HOME")) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }

  private void awaitReady(Path log) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/minio/health/ready")).GET().build();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("minio exited with " + server.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("minio was not ready in 90s:\n" + Files.readString(log));
  }
}
