package io.kubemesh.registry;

import static io.kubemesh.registry.TestMeshes.configYaml;
import static io.kubemesh.registry.TestMeshes.deployment;
import static io.kubemesh.registry.TestMeshes.secretValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.secret.SecretValues;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real distribution registry ({@code tools/registry/build.sh}) with the configuration kubemesh renders:
 * the {@code config.yml} of the ConfigMap, the Deployment's environment with its Secret references resolved, and
 * the htpasswd file of the generated Secret. Only paths and listen addresses are adapted to a temp dir and free
 * loopback ports. Then it pushes and pulls a tiny OCI image over the distribution HTTP API.
 */
@Tag("real-engine")
class RegistryRealEngineTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final String REPO = "acme/app";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @org.junit.jupiter.api.BeforeAll
  static void sayWhichServer() {
    System.out.println("real-engine proofs run on: distribution registry " + RegistryVersions.RELEASE
        + " built from the Go module proxy, in " + RealBinaries.registry().getParent());
  }

  @Test
  void onAVolumeAnonymousPushIsRefusedAndTheGeneratedCredentialsPushAndPull(@TempDir Path tmp) throws Exception {
    Path registryBin = RealBinaries.registry();
    List<HasMetadata> objects = TestMeshes.render(TestMeshes.mesh(Registry.defaults()), SecretValues.secure());
    Path data = Files.createDirectories(tmp.resolve("data"));
    try (Running registry = startRegistry(registryBin, objects, tmp, Map.of(
        "    rootdirectory: " + RegistryConfig.DATA_DIR + "\n", "    rootdirectory: " + data + "\n"))) {
      URI base = URI.create("http://127.0.0.1:" + registry.port());
      checkAuthAndPushPull(base, objects, registry.child());
      try (Stream<Path> files = Files.walk(data)) {
        assertThat(files.map(Path::toString).filter(p -> p.endsWith("/data")))
            .anyMatch(p -> p.contains("/blobs/sha256/"));
      }
    }
  }

  @Test
  void inTheObjectStoreTheBlobsLandInAMinioBucket(@TempDir Path tmp) throws Exception {
    Path registryBin = RealBinaries.registry();
    Path minioDir = RealBinaries.minioDir();
    List<HasMetadata> objects = TestMeshes.render(TestMeshes.mesh(Registry.defaults().s3Storage()),
        SecretValues.secure());
    String accessKey = secretValue(objects, "platform", TestMeshes.FakeStore.SECRET, "AWS_ACCESS_KEY_ID");
    String secretKey = secretValue(objects, "platform", TestMeshes.FakeStore.SECRET, "AWS_SECRET_ACCESS_KEY");

    int minioPort = RealBinaries.freePort();
    int consolePort = RealBinaries.freePort();
    Path minioData = Files.createDirectories(tmp.resolve("minio-data"));
    Map<String, String> minioEnv = Map.of("MINIO_ROOT_USER", accessKey, "MINIO_ROOT_PASSWORD", secretKey,
        "MINIO_BROWSER", "off", "MINIO_UPDATE", "off");
    try (RealBinaries.Child minio = RealBinaries.Child.start(List.of(minioDir.resolve("minio").toString(), "server",
        "--quiet", "--address", "127.0.0.1:" + minioPort, "--console-address", "127.0.0.1:" + consolePort,
        minioData.toString()), minioEnv, tmp.resolve("minio.log"))) {
      URI minioUrl = URI.create("http://127.0.0.1:" + minioPort);
      awaitStatus(minioUrl.resolve("/minio/health/ready"), 200, minio);

      Path mcConfig = Files.createDirectories(tmp.resolve("mc"));
      List<String> mc = List.of(minioDir.resolve("mc").toString(), "--config-dir", mcConfig.toString(), "--quiet");
      RealBinaries.run(concat(mc, "alias", "set", "local", minioUrl.toString(), accessKey, secretKey), Map.of(), tmp);
      RealBinaries.run(concat(mc, "mb", "local/platform"), Map.of(), tmp);

      try (Running registry = startRegistry(registryBin, objects, tmp, Map.of(
          "    regionendpoint: http://store.platform.svc.cluster.local:9000\n",
          "    regionendpoint: " + minioUrl + "\n"))) {
        URI base = URI.create("http://127.0.0.1:" + registry.port());
        OciImage image = checkAuthAndPushPull(base, objects, registry.child());

        String listing = RealBinaries.run(concat(mc, "ls", "-r", "local/platform/registry/"), Map.of(), tmp);
        for (String digest : List.of(image.layerDigest(), image.configDigest(), image.manifestDigest())) {
          String hex = digest.substring("sha256:".length());
          assertThat(listing).as("mc ls -r local/platform/registry/").contains(
              "docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
        }
        assertThat(listing).contains("docker/registry/v2/repositories/" + REPO + "/_manifests/tags/1.0/current/link");
        assertThat(minioData.resolve("platform/registry")).isDirectory();
      }
    }
  }

  // ------------------------------------------------------------------ the checks both tests make

  private OciImage checkAuthAndPushPull(URI base, List<HasMetadata> objects, RealBinaries.Child registry)
      throws Exception {
    String pushPassword = secretValue(objects, "platform", "registry-user-push", "password");
    String pushAuth = basic("push", pushPassword);
    // The pull identity's credentials as a node's runtime gets them: from the dockerconfigjson pull secret.
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Map<String, String>>> dockerConfig =
        JSON.unmarshal(secretValue(objects, "sales", "registry-pull", ".dockerconfigjson"), Map.class);
    String pullAuth = "Basic " + dockerConfig.get("auths").get("localhost:30500").get("auth");

    // Anonymous and wrong credentials are refused with the htpasswd realm.
    HttpResponse<String> anonymous = send(HttpRequest.newBuilder(base.resolve("/v2/")).GET(), registry);
    assertThat(anonymous.statusCode()).as("anonymous GET /v2/").isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"kubemesh-registry\"");
    HttpResponse<String> anonymousPush = send(HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()), registry);
    assertThat(anonymousPush.statusCode()).as("anonymous push").isEqualTo(401);
    HttpResponse<String> wrong = send(HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/blobs/uploads/"))
        .header("Authorization", basic("push", pushPassword + "x")).POST(HttpRequest.BodyPublishers.noBody()), registry);
    assertThat(wrong.statusCode()).as("push with a wrong password").isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(base.resolve("/v2/")).header("Authorization", pushAuth).GET(), registry)
        .statusCode()).as("GET /v2/ as push").isEqualTo(200);

    // Push: two blobs (monolithic upload: POST, then PUT with the digest), then the manifest under a tag.
    OciImage image = OciImage.of("hello.txt", "hello from kubemesh " + System.nanoTime() + "\n");
    pushBlob(base, pushAuth, image.config(), image.configDigest(), registry);
    pushBlob(base, pushAuth, image.layer(), image.layerDigest(), registry);
    HttpResponse<String> manifest = send(HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/manifests/1.0"))
        .header("Authorization", pushAuth).header("Content-Type", OciImage.MANIFEST_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifest())), registry);
    assertThat(manifest.statusCode()).as("PUT manifest: " + manifest.body()).isEqualTo(201);
    assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(image.manifestDigest());

    // Pull as the pull identity: manifest by tag, then every blob, byte for byte.
    HttpResponse<byte[]> pulled = http.send(HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/manifests/1.0"))
        .header("Authorization", pullAuth).header("Accept", OciImage.MANIFEST_TYPE).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pulled.statusCode()).as("GET manifest as pull").isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(image.manifest());
    assertThat(pulled.headers().firstValue("Content-Type")).hasValue(OciImage.MANIFEST_TYPE);
    for (Map.Entry<String, byte[]> blob : Map.of(image.configDigest(), image.config(), image.layerDigest(),
        image.layer()).entrySet()) {
      HttpResponse<byte[]> b = http.send(HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/blobs/" + blob.getKey()))
          .header("Authorization", pullAuth).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(b.statusCode()).as("GET blob " + blob.getKey()).isEqualTo(200);
      assertThat(b.body()).isEqualTo(blob.getValue());
    }
    HttpResponse<String> anonymousPull = send(HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/manifests/1.0"))
        .GET(), registry);
    assertThat(anonymousPull.statusCode()).as("anonymous pull").isEqualTo(401);
    return image;
  }

  private void pushBlob(URI base, String auth, byte[] content, String digest, RealBinaries.Child registry)
      throws Exception {
    HttpResponse<String> start = send(HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/blobs/uploads/"))
        .header("Authorization", auth).POST(HttpRequest.BodyPublishers.noBody()), registry);
    assertThat(start.statusCode()).as("start upload: " + start.body()).isEqualTo(202);
    URI location = base.resolve(start.headers().firstValue("Location").orElseThrow());
    String sep = location.getQuery() == null ? "?" : "&";
    HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest))
        .header("Authorization", auth).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), registry);
    assertThat(put.statusCode()).as("finish upload of " + digest + ": " + put.body() + "\nregistry log:\n"
        + registry.log()).isEqualTo(201);
    assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
  }

  // ------------------------------------------------------------------ running what kubemesh rendered

  /** The registry process and the port it serves on. */
  record Running(RealBinaries.Child child, int port) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      child.close();
    }
  }

  /**
   * Starts the registry with the rendered config, adapted: listen addresses to free loopback ports, the htpasswd
   * path to a temp file, plus {@code replacements} (each must match). Environment: the Deployment's, with
   * {@code secretKeyRef}s resolved from the rendered Secrets.
   */
  private Running startRegistry(Path bin, List<HasMetadata> objects, Path tmp, Map<String, String> replacements)
      throws Exception {
    int port = RealBinaries.freePort();
    int debugPort = RealBinaries.freePort();
    Path htpasswd = tmp.resolve("htpasswd");
    Files.writeString(htpasswd, secretValue(objects, "platform", RegistryEngine.AUTH_SECRET, RegistryEngine.HTPASSWD_KEY));
    Map<String, String> adapt = new LinkedHashMap<>(replacements);
    adapt.put("  addr: :" + RegistryConfig.PORT + "\n", "  addr: 127.0.0.1:" + port + "\n");
    adapt.put("    addr: :" + RegistryConfig.DEBUG_PORT + "\n", "    addr: 127.0.0.1:" + debugPort + "\n");
    adapt.put("    path: " + RegistryConfig.HTPASSWD_FILE + "\n", "    path: " + htpasswd + "\n");
    String config = configYaml(objects);
    for (Map.Entry<String, String> r : adapt.entrySet()) {
      assertThat(config).as("the rendered config.yml").contains(r.getKey());
      config = config.replace(r.getKey(), r.getValue());
    }
    Path configFile = tmp.resolve("config.yml");
    Files.writeString(configFile, config);

    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : deployment(objects).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValueFrom() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        env.put(e.getName(), secretValue(objects, "platform", ref.getName(), ref.getKey()));
      } else {
        env.put(e.getName(), e.getValue());
      }
    }
    RealBinaries.Child child = RealBinaries.Child.start(List.of(bin.toString(), "serve", configFile.toString()),
        env, tmp.resolve("registry.log"));
    try {
      awaitStatus(URI.create("http://127.0.0.1:" + debugPort + "/debug/health"), 200, child);
    } catch (AssertionError | RuntimeException e) {
      child.close();
      throw e;
    }
    return new Running(child, port);
  }

  /** Polls {@code url} until it answers {@code status}; the process's readiness, not a sleep. */
  private void awaitStatus(URI url, int status, RealBinaries.Child child) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!child.process.isAlive()) {
        fail(url + ": the process exited with " + child.process.exitValue() + "; log:\n" + child.log());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == status) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    fail(url + " did not answer " + status + " within 60s (last: " + last + "); log:\n" + child.log());
  }

  private HttpResponse<String> send(HttpRequest.Builder request, RealBinaries.Child registry) throws Exception {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e + "\nregistry log:\n" + registry.log(), e);
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> out = new ArrayList<>(head);
    out.addAll(List.of(tail));
    return out;
  }
}
