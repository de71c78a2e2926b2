package io.kubemesh.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import java.io.File;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that the Spark configuration kubemesh generates works against a real S3 server: Spark (the versions
 * of the version table) in local mode, with the notebook's rendered {@code spark-defaults.conf}, k8s-only keys
 * dropped and the endpoints pointed at a MinIO server on loopback, runs the sample workload's steps.
 *
 * <p>Credentials travel as they do in the cluster: generated into Secrets by the mesh, MinIO started with those
 * values, and the Spark JVM given the notebook container's secretKeyRef environment variables.
 *
 * <p>MinIO and mc come from {@code $KUBEMESH_MINIO_BIN} or {@code ${KUBEMESH_CACHE:-~/.cache/kubemesh}/minio/* /bin}.
 * Missing binaries skip the test, except with {@code CI=true}, where they fail it.
 */
@Tag("real-engine")
class SparkRealEngineTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(8);

  @TempDir
  static Path tmp;

  private static Process minio;
  private static Path mc;
  private static Path mcConfig;
  private static String endpoint;

  @BeforeAll
  static void findBinaries() {
    Optional<Path> bin = minioBin();
    if (bin.isEmpty()) {
      String why = "MinIO binaries (minio, mc) not found in $KUBEMESH_MINIO_BIN or "
          + cacheDir().resolve("minio") + "/*/bin; build them with kubemesh-minio's tooling";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("CI=true and " + why);
      }
      Assumptions.abort("skipping the real Spark proof: " + why);
    }
    mc = bin.get().resolve("mc");
    System.out.println("real-engine proofs run on: Spark " + SparkVersions.SPARK + " in local mode with Delta "
        + SparkVersions.DELTA + " against the real minio server in " + bin.get());
  }

  @AfterAll
  static void stopMinio() throws InterruptedException {
    if (minio != null) {
      minio.destroy();
      if (!minio.waitFor(10, TimeUnit.SECONDS)) {
        minio.destroyForcibly();
      }
    }
  }

  @Test
  void theSampleWorkloadRunsWithTheGeneratedConf() throws Exception {
    MeshModel model = Meshes.salesWithNotebook();
    List<HasMetadata> objects = Rendering.of(model).withSecrets(SecretValues.secure()).objects();
    Map<String, String> salesKeys = secret(objects, "sales", "sales-store-credentials");
    Map<String, String> campaignKeys = secret(objects, "sales", "marketing-store-credentials");

    // MinIO with the sales store's generated credentials as root; marketing's read-only user from its Secret.
    int port = freePort();
    startMinio(port, salesKeys.get("AWS_ACCESS_KEY_ID"), salesKeys.get("AWS_SECRET_ACCESS_KEY"));
    mcConfig = tmp.resolve("mc");
    mc("alias", "set", "t", endpoint, salesKeys.get("AWS_ACCESS_KEY_ID"), salesKeys.get("AWS_SECRET_ACCESS_KEY"));
    mc("mb", "--ignore-existing", "t/sales");
    mc("mb", "--ignore-existing", "t/campaigns");
    Path campaigns = tmp.resolve("campaigns.csv");
    Files.writeString(campaigns, "campaign,budget\nspring,100\nsummer,250\nautumn,75\n");
    mc("cp", campaigns.toString(), "t/campaigns/campaigns.csv");
    mc("admin", "user", "add", "t", campaignKeys.get("AWS_ACCESS_KEY_ID"), campaignKeys.get("AWS_SECRET_ACCESS_KEY"));
    Path policy = tmp.resolve("campaigns-read.json");
    Files.writeString(policy, """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::campaigns"]},
          {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::campaigns/*"]}]}
        """);
    mc("admin", "policy", "create", "t", "campaigns-read", policy.toString());
    mc("admin", "policy", "attach", "t", "campaigns-read", "--user", campaignKeys.get("AWS_ACCESS_KEY_ID"));

    // The rendered conf, made local: master swapped, k8s-only keys dropped, endpoints on loopback.
    Map<String, String> rendered = SparkDefaults.parse(configMap(objects, "spark-notebook-conf")
        .getData().get("spark-defaults.conf"));
    Map<String, String> local = localConf(rendered, endpoint);
    Path confFile = tmp.resolve("spark.properties");
    Properties props = new Properties();
    props.putAll(local);
    try (Writer w = new FileWriter(confFile.toFile(), StandardCharsets.UTF_8)) {
      props.store(w, "kubemesh spark-defaults, made local");
    }

    // The notebook container's environment: literal values and secretKeyRefs resolved from the rendered Secrets.
    Map<String, String> env = containerEnv(objects);
    assertThat(env).containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "KUBEMESH_S3_CAMPAIGNS_ACCESS_KEY_ID", "KUBEMESH_S3_CAMPAIGNS_SECRET_ACCESS_KEY");
    Path results = tmp.resolve("results.properties");
    runJob(env, confFile, env.get(SparkNotebookEngine.BUCKET_ENV), "s3a://campaigns/campaigns.csv", results);

    Properties out = new Properties();
    try (Reader r = new FileReader(results.toFile(), StandardCharsets.UTF_8)) {
      out.load(r);
    }
    int rows = DeltaSmokeJob.USERS * DeltaSmokeJob.MOVIES;
    assertThat(out.getProperty("sum")).isEqualTo("5050");
    assertThat(out.getProperty("csvRows")).isEqualTo(String.valueOf(rows));
    assertThat(out.getProperty("deltaRows")).isEqualTo(String.valueOf(rows));
    assertThat(out.getProperty("deltaLog")).contains("00000000000000000000.json");
    assertThat(out.getProperty("byRating")).isEqualTo("1=200,2=200,3=200,4=200,5=200");
    assertThat(out.getProperty("highRatings")).isEqualTo(String.valueOf(2 * rows / 5));
    assertThat(out.getProperty("warehouse")).isEqualTo("s3a://sales/warehouse");
    assertThat(out.getProperty("dataProductRows")).isEqualTo("3");
    assertThat(out.getProperty("dataProductWrite")).isEqualTo("denied");
    // no credential was written to the conf file or printed by Spark
    String confText = Files.readString(confFile);
    String jobLog = Files.readString(tmp.resolve("job.log"));
    for (String secret : List.of(salesKeys.get("AWS_SECRET_ACCESS_KEY"), campaignKeys.get("AWS_SECRET_ACCESS_KEY"),
        salesKeys.get("AWS_ACCESS_KEY_ID"), campaignKeys.get("AWS_ACCESS_KEY_ID"))) {
      assertThat(confText).doesNotContain(secret);
      assertThat(jobLog).doesNotContain(secret);
    }
    // and the table is really in MinIO, seen from outside Spark
    assertThat(mc("ls", "--recursive", "t/sales/delta-test/_delta_log/")).contains("00000000000000000000.json");

    // The notebook's own batch script, in PySpark, with the same conf and environment as the pod's.
    runNotebookScript(env, local, env.get(SparkNotebookEngine.BUCKET_ENV));
  }

  /**
   * Runs samples/notebooks/delta_smoke.py (self-checking) with the PySpark that tools/pyspark/build.sh installs.
   * Delta and hadoop-aws come from this test's class path: nothing is downloaded.
   */
  private static void runNotebookScript(Map<String, String> env, Map<String, String> local, String bucket)
      throws IOException, InterruptedException {
    Path current = cacheDir().resolve("pyspark").resolve("current");
    Path python = Files.exists(current) ? Path.of(Files.readString(current).strip(), "bin", "python") : null;
    if (python == null || !Files.isExecutable(python)) {
      String why = "no PySpark venv recorded in " + current + "; install it with tools/pyspark/build.sh";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("CI=true and " + why);
      }
      System.out.println("real-engine: skipping the notebook's Python script: " + why);
      return;
    }
    Path confDir = Files.createDirectories(tmp.resolve("pyspark-conf"));
    Files.writeString(confDir.resolve("spark-defaults.conf"), SparkDefaults.toText(local));
    String classPath = Optional.ofNullable(System.getProperty("surefire.test.class.path"))
        .orElse(System.getProperty("java.class.path"));
    List<String> jars = Stream.of(classPath.split(File.pathSeparator))
        .filter(j -> Stream.of("delta-spark_", "delta-storage-", "hadoop-aws-", "bundle-")
            .anyMatch(prefix -> Path.of(j).getFileName().toString().startsWith(prefix)))
        .toList();
    assertThat(jars).hasSize(4);
    Path script = Path.of("..", "samples", "notebooks", "delta_smoke.py").toAbsolutePath().normalize();
    Path log = tmp.resolve("pyspark.log");
    ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString(), bucket).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SPARK_") || k.startsWith("HADOOP_")
        || k.startsWith("PYSPARK_"));
    pb.environment().putAll(env);
    pb.environment().put("SPARK_CONF_DIR", confDir.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("PYSPARK_PYTHON", python.toString());
    pb.environment().put("PYSPARK_SUBMIT_ARGS", "--jars " + String.join(",", jars) + " pyspark-shell");
    Process job = pb.start();
    boolean finished = job.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    Files.copy(log, Path.of("target", "real-engine-pyspark.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (!finished) {
      job.destroyForcibly();
      Assertions.fail("delta_smoke.py did not finish in " + JOB_TIMEOUT + "; log:\n" + tail(log));
    }
    String out = Files.readString(log);
    assertThat(job.exitValue()).as("delta_smoke.py exit code; log:\n%s", tail(log)).isZero();
    assertThat(out).contains("rdd sum: 5050", "delta rows: 1000", "delta smoke test passed");
    for (String key : List.of(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))) {
      assertThat(out).doesNotContain(key);
    }
    System.out.println("real-engine proofs run on: the notebook's delta_smoke.py in PySpark "
        + SparkVersions.SPARK + " (" + python + ") against the real minio server");
  }

  /** The notebook's conf for local mode: everything that is not about Kubernetes or the driver's address stays. */
  static Map<String, String> localConf(Map<String, String> rendered, String endpoint) {
    Map<String, String> local = new HashMap<>();
    rendered.forEach((k, v) -> {
      boolean clusterOnly = k.startsWith("spark.kubernetes.") || k.startsWith("spark.driver.")
          || k.equals("spark.blockManager.port") || k.equals("spark.submit.deployMode") || k.equals("spark.ui.port")
          || k.equals("spark.jars.packages") || k.equals("spark.jars.ivy") || k.startsWith("spark.executor.");
      if (!clusterOnly) {
        local.put(k, k.startsWith(SparkDefaults.S3A) && k.endsWith(".endpoint") ? endpoint : v);
      }
    });
    local.put("spark.master", "local[2]");
    local.put("spark.ui.enabled", "false");
    local.put("spark.driver.host", "127.0.0.1");
    local.put("spark.driver.bindAddress", "127.0.0.1");
    local.put("spark.sql.shuffle.partitions", "4");
    return local;
  }

  private static void runJob(Map<String, String> env, Path conf, String bucket, String dataProduct, Path results)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
            || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty"))
        .forEach(cmd::add);
    cmd.add("-Xmx1g");
    cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("java-tmp")));
    cmd.add("-cp");
    cmd.add(Optional.ofNullable(System.getProperty("surefire.test.class.path"))
        .orElse(System.getProperty("java.class.path")));
    cmd.add(DeltaSmokeJob.class.getName());
    cmd.addAll(List.of(conf.toString(), bucket, dataProduct, results.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("job.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("SPARK_") || k.startsWith("HADOOP_"));
    pb.environment().putAll(env);
    Process job = pb.start();
    boolean finished = job.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    // keep the log for a look after the run (it holds no credentials: Spark does not print S3A keys)
    Files.copy(tmp.resolve("job.log"), Path.of("target", "real-engine-job.log"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (!finished) {
      job.destroyForcibly();
      Assertions.fail("the Spark job did not finish in " + JOB_TIMEOUT + "; log:\n" + tail(tmp.resolve("job.log")));
    }
    if (job.exitValue() != 0) {
      Assertions.fail("the Spark job failed (exit " + job.exitValue() + "); log:\n" + tail(tmp.resolve("job.log")));
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    // the first exception line says what went wrong; stack frames after it rarely do
    lines.stream().filter(l -> l.contains("Exception") && !l.startsWith("\t")).findFirst()
        .ifPresent(first -> lines.add("first exception: " + first));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }

  private static Map<String, String> containerEnv(List<HasMetadata> objects) {
    StatefulSet sts = objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
        .filter(s -> s.getMetadata().getName().equals("spark-notebook")).findFirst().orElseThrow();
    Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        env.put(e.getName(), secret(objects, sts.getMetadata().getNamespace(), ref.getName()).get(ref.getKey()));
      }
    }
    env.remove("HOME");
    env.remove("SPARK_CONF_DIR");
    return env;
  }

  private static Map<String, String> secret(List<HasMetadata> objects, String namespace, String name) {
    Secret s = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
        .filter(o -> o.getMetadata().getName().equals(name) && o.getMetadata().getNamespace().equals(namespace))
        .findFirst().orElseThrow(() -> new AssertionError("no Secret " + namespace + "/" + name));
    Map<String, String> out = new HashMap<>();
    s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }

  private static ConfigMap configMap(List<HasMetadata> objects, String name) {
    return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private static void startMinio(int port, String user, String password) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("minio-data"));
    endpoint = "http://127.0.0.1:" + port;
    ProcessBuilder pb = new ProcessBuilder(mc.resolveSibling("minio").toString(), "server", data.toString(),
        "--address", "127.0.0.1:" + port, "--console-address", "127.0.0.1:" + freePort())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("minio.log").toFile());
    pb.environment().put("MINIO_ROOT_USER", user);
    pb.environment().put("MINIO_ROOT_PASSWORD", password);
    pb.environment().put("MINIO_BROWSER", "off");
    minio = pb.start();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!minio.isAlive()) {
        Assertions.fail("minio exited: " + tail(tmp.resolve("minio.log")));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/minio/health/ready").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(1000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    Assertions.fail("minio was not ready in " + START_TIMEOUT + ": " + tail(tmp.resolve("minio.log")));
  }

  private static String mc(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(mc.toString(), "--config-dir", mcConfig.toString(), "--quiet"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      // mc echoes no secrets on failure, but keep the arguments out of the message: they include keys
      Assertions.fail("mc " + args[0] + " " + (args.length > 1 ? args[1] : "") + " failed: " + output);
    }
    return output;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Path cacheDir() {
    String cache = System.getenv("KUBEMESH_CACHE");
    return cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "kubemesh");
  }

  /** A directory with executable minio and mc: $KUBEMESH_MINIO_BIN, else the newest build in the cache. */
  static Optional<Path> minioBin() {
    String explicit = System.getenv("KUBEMESH_MINIO_BIN");
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(Path.of(explicit)).filter(SparkRealEngineTest::hasBinaries);
    }
    Path root = cacheDir().resolve("minio");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> builds = Files.list(root)) {
      return builds.map(b -> b.resolve("bin")).filter(SparkRealEngineTest::hasBinaries)
          .max(Comparator.comparing(p -> p.toFile().lastModified()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean hasBinaries(Path dir) {
    File minio = dir.resolve("minio").toFile();
    File mc = dir.resolve("mc").toFile();
    return minio.canExecute() && mc.canExecute();
  }
}
