package io.kubemesh.spark;

import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.capability.ObjectStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The notebook's {@code spark-defaults.conf}: every key kubemesh owns, each derived from the settings and the
 * domain, then the user's {@code conf(...)} and last {@code overrideConf(...)}.
 */
final class SparkDefaults {
  static final String MASTER = "k8s://https://kubernetes.default.svc:443";
  /** Spark reads {@code ${env:NAME}} in config values (ConfigReader); the pod sets this from the downward API. */
  static final String DRIVER_POD_NAME_ENV = "SPARK_DRIVER_POD_NAME";
  static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
  static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
  static final String S3A = "spark.hadoop.fs.s3a.";
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env\\.[A-Z_][A-Z0-9_]*}");

  /** Keys kubemesh writes, and the setter that changes them when there is one. */
  private static final Map<String, String> OWNED_KEYS = new LinkedHashMap<>();
  private static final Map<String, String> OWNED_PREFIXES = new LinkedHashMap<>();

  static {
    String wiring = "to wire the notebook into the domain";
    for (String key : List.of("spark.master", "spark.submit.deployMode", "spark.kubernetes.namespace",
        "spark.kubernetes.driver.pod.name", "spark.driver.host", "spark.driver.bindAddress", "spark.driver.port",
        "spark.blockManager.port", "spark.driver.blockManager.port", "spark.ui.port",
        "spark.kubernetes.authenticate.driver.serviceAccountName",
        "spark.kubernetes.authenticate.executor.serviceAccountName", "spark.kubernetes.executor.podTemplateFile",
        "spark.kubernetes.executor.podTemplateContainerName", "spark.sql.extensions",
        "spark.sql.catalog.spark_catalog", "spark.delta.logStore.s3a.impl", "spark.sql.warehouse.dir",
        "spark.jars.ivy")) {
      OWNED_KEYS.put(key, wiring);
    }
    for (String key : List.of("spark.kubernetes.container.image", "spark.kubernetes.executor.container.image",
        "spark.kubernetes.driver.container.image")) {
      OWNED_KEYS.put(key, "from executorImage(...)");
    }
    OWNED_KEYS.put("spark.kubernetes.container.image.pullSecrets", "from imagesFromMeshRegistry()");
    OWNED_KEYS.put("spark.executor.instances", "from executors(int)");
    OWNED_KEYS.put("spark.executor.cores", "from executorCores(int)");
    OWNED_KEYS.put("spark.kubernetes.executor.request.cores", "from executorCores(int)");
    OWNED_KEYS.put("spark.kubernetes.executor.limit.cores", "from executorCores(int)");
    OWNED_KEYS.put("spark.executor.memory", "from executorMemory(String)");
    OWNED_KEYS.put("spark.driver.memory", "from driverMemory(String)");
    OWNED_KEYS.put("spark.jars.packages", "from packages(String...)");
    String store = "from the domain's object store";
    for (String key : List.of("endpoint", "endpoint.region", "path.style.access", "connection.ssl.enabled",
        "aws.credentials.provider", "access.key", "secret.key", "session.token")) {
      OWNED_KEYS.put(S3A + key, store);
    }
    OWNED_PREFIXES.put(S3A + "bucket.", "from the data products the domain reads");
    OWNED_PREFIXES.put("spark.kubernetes.executor.secretKeyRef.", "from the object store's credentials Secret");
    OWNED_PREFIXES.put("spark.kubernetes.driver.secretKeyRef.", "from the object store's credentials Secret");
  }

  /** Where the generated files are mounted in the notebook pod ({@code SPARK_CONF_DIR}). */
  static final String CONF_DIR = "/opt/kubemesh/spark-conf";
  static final String TEMPLATE_FILE = "executor-pod-template.yaml";
  static final String EXECUTOR_CONTAINER = "executor";

  private SparkDefaults() {}

  /** Why kubemesh owns {@code key}, or null when users may set it with {@code conf(...)}. */
  static String ownedBy(String key) {
    String reason = OWNED_KEYS.get(key);
    if (reason != null) {
      return reason;
    }
    return OWNED_PREFIXES.entrySet().stream().filter(e -> key.startsWith(e.getKey())).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }

  /** Whether setting {@code key} to {@code value} would write a credential into the file. */
  static boolean isLiteralCredential(String key, String value) {
    String k = key.toLowerCase(Locale.ROOT);
    boolean credentialKey = k.endsWith(".access.key") || k.endsWith(".secret.key") || k.endsWith(".session.token")
        || k.endsWith("password") || k.startsWith("spark.executorenv.aws_") || k.contains("secret_access_key");
    return credentialKey && !ENV_REFERENCE.matcher(value).matches();
  }

  /** One data product bucket with the environment variables its keys arrive in. */
  record BucketCredentials(String bucket, ObjectStore store, String accessKeyEnv, String secretKeyEnv) {}

  /** The environment variables for each data product bucket, named after the bucket. */
  static List<BucketCredentials> dataProductCredentials(List<ObjectStore> dataProducts, ObjectStore home) {
    List<BucketCredentials> out = new ArrayList<>();
    Map<String, String> envToBucket = new TreeMap<>();
    for (ObjectStore store : dataProducts) {
      for (String bucket : store.buckets()) {
        if (home.buckets().contains(bucket)) {
          continue;
        }
        String stem = "KUBEMESH_S3_" + bucket.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String previous = envToBucket.putIfAbsent(stem, bucket);
        if (previous != null && !previous.equals(bucket)) {
          throw KubemeshException.invalid("spark-notebook.dataProducts", bucket, "buckets '" + previous + "' and '"
              + bucket + "' map to the same environment variable " + stem + "_*; rename one of them");
        }
        out.add(new BucketCredentials(bucket, store, stem + "_ACCESS_KEY_ID", stem + "_SECRET_ACCESS_KEY"));
      }
    }
    return out;
  }

  /** All settings, sorted; user settings applied over kubemesh's, overrides last. */
  static Map<String, String> of(SparkNotebook s, Wiring w) {
    Map<String, String> conf = new TreeMap<>();
    conf.put("spark.master", MASTER);
    conf.put("spark.submit.deployMode", "client");
    conf.put("spark.kubernetes.namespace", w.namespace());
    conf.put("spark.kubernetes.container.image", s.effectiveExecutorImage());
    conf.put("spark.kubernetes.container.image.pullPolicy", "IfNotPresent");
    if (s.pullSecret != null) {
      conf.put("spark.kubernetes.container.image.pullSecrets", s.pullSecret);
    }
    conf.put("spark.kubernetes.driver.pod.name", "${env:" + DRIVER_POD_NAME_ENV + "}");
    conf.put("spark.kubernetes.authenticate.executor.serviceAccountName", w.executorServiceAccount());
    conf.put("spark.kubernetes.executor.podTemplateFile", CONF_DIR + "/" + TEMPLATE_FILE);
    conf.put("spark.kubernetes.executor.podTemplateContainerName", EXECUTOR_CONTAINER);
    conf.put("spark.driver.host", w.driverHost());
    conf.put("spark.driver.bindAddress", "0.0.0.0");
    conf.put("spark.driver.port", String.valueOf(SparkNotebook.DRIVER_PORT));
    conf.put("spark.blockManager.port", String.valueOf(SparkNotebook.BLOCK_MANAGER_PORT));
    conf.put("spark.driver.blockManager.port", String.valueOf(SparkNotebook.BLOCK_MANAGER_PORT));
    conf.put("spark.ui.port", String.valueOf(SparkNotebook.SPARK_UI_PORT));
    conf.put("spark.executor.instances", String.valueOf(s.executors));
    conf.put("spark.executor.cores", String.valueOf(s.executorCores));
    conf.put("spark.kubernetes.executor.request.cores", String.valueOf(s.executorCores));
    conf.put("spark.kubernetes.executor.limit.cores", String.valueOf(s.executorCores));
    conf.put("spark.executor.memory", s.executorMemory);
    conf.put("spark.driver.memory", s.driverMemory);
    if (!s.packages.isEmpty()) {
      conf.put("spark.jars.packages", String.join(",", s.packages));
    }
    conf.put("spark.jars.ivy", w.ivyCache());

    ObjectStore home = w.home();
    conf.put(S3A + "endpoint", home.endpoint());
    conf.put(S3A + "endpoint.region", home.region());
    conf.put(S3A + "path.style.access", String.valueOf(home.pathStyle()));
    conf.put(S3A + "connection.ssl.enabled", String.valueOf(home.tls()));
    conf.put(S3A + "aws.credentials.provider", SparkVersions.ENV_CREDENTIALS_PROVIDER);
    conf.put("spark.kubernetes.executor.secretKeyRef." + ACCESS_KEY_ENV,
        home.credentialsSecret() + ":" + home.accessKeyKey());
    conf.put("spark.kubernetes.executor.secretKeyRef." + SECRET_KEY_ENV,
        home.credentialsSecret() + ":" + home.secretKeyKey());
    for (BucketCredentials b : w.dataProducts()) {
      String p = S3A + "bucket." + b.bucket() + ".";
      conf.put(p + "endpoint", b.store().endpoint());
      conf.put(p + "endpoint.region", b.store().region());
      conf.put(p + "path.style.access", String.valueOf(b.store().pathStyle()));
      conf.put(p + "connection.ssl.enabled", String.valueOf(b.store().tls()));
      conf.put(p + "aws.credentials.provider", SparkVersions.SIMPLE_CREDENTIALS_PROVIDER);
      // Hadoop's Configuration expands ${env.NAME} when the value is read, in each JVM: the key never lands here.
      conf.put(p + "access.key", "${env." + b.accessKeyEnv() + "}");
      conf.put(p + "secret.key", "${env." + b.secretKeyEnv() + "}");
      conf.put("spark.kubernetes.executor.secretKeyRef." + b.accessKeyEnv(),
          b.store().credentialsSecret() + ":" + b.store().accessKeyKey());
      conf.put("spark.kubernetes.executor.secretKeyRef." + b.secretKeyEnv(),
          b.store().credentialsSecret() + ":" + b.store().secretKeyKey());
    }

    conf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    // Safe while this notebook is the only writer of a table; several clusters writing one table need another store.
    conf.put("spark.delta.logStore.s3a.impl", "io.delta.storage.S3SingleDriverLogStore");
    conf.put("spark.sql.warehouse.dir", "s3a://" + home.bucket() + "/warehouse");

    conf.putAll(s.conf);
    conf.putAll(s.overrides);
    return conf;
  }

  /** The file's text: a comment header, then {@code key value} per line, sorted. */
  static String toText(Map<String, String> conf) {
    return "# Generated by kubemesh for the spark-notebook engine. Change it through SparkNotebook, not here.\n"
        + conf.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** Parses {@link #toText} output (the {@code spark-defaults.conf} format Spark reads with Properties). */
  static Map<String, String> parse(String text) {
    Map<String, String> conf = new TreeMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int space = l.indexOf(' ');
      conf.put(l.substring(0, space), l.substring(space + 1).strip());
    }
    return conf;
  }

  /** What the conf needs to know about the domain. */
  record Wiring(String namespace, String driverHost, String executorServiceAccount, String ivyCache,
      ObjectStore home, List<BucketCredentials> dataProducts) {}
}
