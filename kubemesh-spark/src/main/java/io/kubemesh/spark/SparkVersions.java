package io.kubemesh.spark;

import java.util.List;

/**
 * The one place where the Spark notebook's versions are pinned. They move together: change one, check all.
 *
 * <table>
 *   <caption>The pinned set and why each member is what it is</caption>
 *   <tr><th>What</th><th>Version</th><th>Because</th></tr>
 *   <tr><td>Apache Spark</td><td>{@value #SPARK}</td><td>the Spark inside {@link #NOTEBOOK_IMAGE}</td></tr>
 *   <tr><td>Scala</td><td>{@value #SCALA_BINARY}</td><td>Spark 4 is built for Scala 2.13 only</td></tr>
 *   <tr><td>Delta Lake</td><td>{@value #DELTA}</td><td>delta-spark 4.0.1 is built against Spark 4.0.1</td></tr>
 *   <tr><td>hadoop-aws</td><td>{@value #HADOOP}</td><td>must equal the Hadoop Spark 4.0.1 ships
 *       ({@code hadoop.version} in spark-parent 4.0.1)</td></tr>
 *   <tr><td>AWS SDK v2 bundle</td><td>{@value #AWS_SDK_V2}</td><td>what hadoop-aws 3.4.1 declares
 *       ({@code aws-java-sdk-v2.version} in hadoop-project 3.4.1); S3A on Hadoop 3.4 speaks SDK v2 only</td></tr>
 *   <tr><td>Notebook (driver) image</td><td>{@value #NOTEBOOK_IMAGE}</td><td>Jupyter docker-stacks' image that
 *       carries Spark {@value #SPARK}, OpenJDK 17, conda Python and PySpark; runs as uid 1000 (jovyan), gid 100</td></tr>
 *   <tr><td>Executor image</td><td>the notebook image</td><td>see below</td></tr>
 * </table>
 *
 * <p><b>Why executors run the notebook image.</b> PySpark requires the driver and the executors to run the same Spark
 * version and the same Python minor version, or every Python function (an RDD {@code sum()} included) fails with
 * "Python in worker has different version". Apache's {@code apache/spark:4.0.1-scala2.13-java17-python3-ubuntu}
 * carries Ubuntu's Python, docker-stacks' image a newer conda Python, so the pair cannot be mixed. The notebook image
 * contains Spark's own Kubernetes entrypoint ({@value #NOTEBOOK_EXECUTOR_ENTRYPOINT}) and {@code tini}, so the
 * executor pod template starts that entrypoint in the notebook image: one image, one Spark, one Python. The caveat:
 * the notebook image is large (about 2 GB pulled on every node that runs an executor) and holds Jupyter, which
 * executors do not need. A slimmer pair needs a custom executor image built from the same Python; set it with
 * {@link SparkNotebook#executorImage(String)} (kubemesh then keeps the image's own entrypoint).
 *
 * <p><b>Offline clusters.</b> {@link #PACKAGES} are fetched by the driver from Maven Central through Ivy when the
 * first Spark session starts (the bundle alone is about 500 MB) and cached on the notebook volume; for that the
 * notebook pod alone gets an egress policy to port 443 (none when {@code packages()} is empty). Pods that cannot
 * reach the internet need an image with the jars baked in and {@code packages()} set to nothing, or a mirror
 * ({@code spark.jars.repositories}).
 */
final class SparkVersions {
  static final String SPARK = "4.0.1";
  static final String SCALA_BINARY = "2.13";
  static final String DELTA = "4.0.1";
  static final String HADOOP = "3.4.1";
  static final String AWS_SDK_V2 = "2.24.6";

  static final String NOTEBOOK_IMAGE = "quay.io/jupyter/pyspark-notebook:spark-" + SPARK;
  /** Spark's Kubernetes entrypoint inside the notebook image (the binary distribution ships it there). */
  static final String NOTEBOOK_EXECUTOR_ENTRYPOINT = "/usr/local/spark/kubernetes/dockerfiles/spark/entrypoint.sh";
  /** Spark's entrypoint runs {@code $JAVA_HOME/bin/java}; the notebook image installs Java as /usr/bin/java. */
  static final String NOTEBOOK_JAVA_HOME = "/usr";
  /** docker-stacks' user: jovyan, uid 1000, group users (100). */
  static final long NOTEBOOK_UID = 1000;
  static final long NOTEBOOK_GID = 100;

  static final String DELTA_PACKAGE = "io.delta:delta-spark_" + SCALA_BINARY + ":" + DELTA;
  static final String HADOOP_AWS_PACKAGE = "org.apache.hadoop:hadoop-aws:" + HADOOP;
  /** Maven coordinates for {@code spark.jars.packages}; hadoop-aws brings the SDK bundle with it. */
  static final List<String> PACKAGES = List.of(DELTA_PACKAGE, HADOOP_AWS_PACKAGE);

  /** S3A's credentials providers for Hadoop 3.4 (AWS SDK v2). */
  static final String ENV_CREDENTIALS_PROVIDER =
      "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider";
  static final String SIMPLE_CREDENTIALS_PROVIDER = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";

  private SparkVersions() {}
}
