package io.kubemesh.spark;

import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.engine.Engine;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Jupyter notebook that is the Spark driver in client mode, with executors as pods in the domain's namespace and
 * Delta Lake tables in the domain's bucket.
 *
 * <p>Images: {@value #DEFAULT_NOTEBOOK_IMAGE} for the notebook and, by default, for the executors too (driver and
 * executors must share Spark and Python versions). Ports: Jupyter on {@value #JUPYTER_PORT} and the Spark UI on
 * {@value #SPARK_UI_PORT} (service {@code spark-notebook}); the driver on {@value #DRIVER_PORT} and its block manager
 * on {@value #BLOCK_MANAGER_PORT} (headless service {@code spark-notebook-driver}, which executors connect to).
 * The domain needs an object store ({@code withMinio()}); its credentials reach Spark only as environment variables
 * from Secrets. The Jupyter token is generated into the Secret {@code spark-notebook-jupyter}.
 *
 * <p>Settings are immutable: every method returns a changed copy. Defaults are safe and small.
 *
 * <pre>{@code
 * SparkNotebook notebook = SparkNotebook.defaults()
 *     .executors(4)
 *     .executorMemory("4g")
 *     .conf("spark.sql.shuffle.partitions", "64");
 * Engine engine = notebook.engine();
 * }</pre>
 */
public final class SparkNotebook {
  /** The notebook image; its Spark, Scala, Delta and hadoop-aws versions are pinned together. */
  public static final String DEFAULT_NOTEBOOK_IMAGE = SparkVersions.NOTEBOOK_IMAGE;
  public static final int JUPYTER_PORT = 8888;
  public static final int SPARK_UI_PORT = 4040;
  public static final int DRIVER_PORT = 7078;
  public static final int BLOCK_MANAGER_PORT = 7079;

  final int executors;
  final int executorCores;
  final String executorMemory;
  final String driverMemory;
  final String notebookImage;
  final String executorImage; // null: the notebook image
  final List<String> packages;
  final Map<String, String> conf;
  final Map<String, String> overrides;
  final String notebookStorage;
  final String storageClass; // null: the cluster's default

  private SparkNotebook(int executors, int executorCores, String executorMemory, String driverMemory,
      String notebookImage, String executorImage, List<String> packages, Map<String, String> conf,
      Map<String, String> overrides, String notebookStorage, String storageClass) {
    this.executors = executors;
    this.executorCores = executorCores;
    this.executorMemory = executorMemory;
    this.driverMemory = driverMemory;
    this.notebookImage = notebookImage;
    this.executorImage = executorImage;
    this.packages = List.copyOf(packages);
    this.conf = Collections.unmodifiableMap(new TreeMap<>(conf));
    this.overrides = Collections.unmodifiableMap(new TreeMap<>(overrides));
    this.notebookStorage = notebookStorage;
    this.storageClass = storageClass;
  }

  /**
   * Two executors of one core and 1g each, a 2g driver, the pinned images, Delta and hadoop-aws from Maven Central,
   * and a 5Gi volume for notebooks.
   */
  public static SparkNotebook defaults() {
    return new SparkNotebook(2, 1, "1g", "2g", SparkVersions.NOTEBOOK_IMAGE, null, SparkVersions.PACKAGES,
        Map.of(), Map.of(), "5Gi", null);
  }

  /** The engine that emits the notebook's objects; settings are checked when the mesh is built. */
  public Engine engine() {
    return new SparkNotebookEngine(this);
  }

  /** How many executor pods to start ({@code spark.executor.instances}). */
  public SparkNotebook executors(int count) {
    return new SparkNotebook(count, executorCores, executorMemory, driverMemory, notebookImage, executorImage,
        packages, conf, overrides, notebookStorage, storageClass);
  }

  /** Cores per executor; also its CPU request and limit. */
  public SparkNotebook executorCores(int cores) {
    return new SparkNotebook(executors, cores, executorMemory, driverMemory, notebookImage, executorImage,
        packages, conf, overrides, notebookStorage, storageClass);
  }

  /** Executor JVM heap as a Spark size such as {@code 4g}; the pod gets Spark's overhead on top. */
  public SparkNotebook executorMemory(String size) {
    return new SparkNotebook(executors, executorCores, size, driverMemory, notebookImage, executorImage,
        packages, conf, overrides, notebookStorage, storageClass);
  }

  /** Driver JVM heap in the notebook pod, as a Spark size; the pod gets room for Jupyter and Python on top. */
  public SparkNotebook driverMemory(String size) {
    return new SparkNotebook(executors, executorCores, executorMemory, size, notebookImage, executorImage,
        packages, conf, overrides, notebookStorage, storageClass);
  }

  /**
   * Another notebook image, pinned; it must be a Jupyter docker-stacks pyspark image (uid 1000, Spark in
   * {@code /usr/local/spark}) of the Spark version in the version table.
   */
  public SparkNotebook notebookImage(String image) {
    return new SparkNotebook(executors, executorCores, executorMemory, driverMemory, image, executorImage,
        packages, conf, overrides, notebookStorage, storageClass);
  }

  /**
   * A separate executor image with Spark's own entrypoint (such as an image built from {@code apache/spark}); it must
   * carry the same Spark and Python minor version as the notebook image, or Python functions fail.
   */
  public SparkNotebook executorImage(String image) {
    return new SparkNotebook(executors, executorCores, executorMemory, driverMemory, notebookImage, image,
        packages, conf, overrides, notebookStorage, storageClass);
  }

  /** Maven coordinates for {@code spark.jars.packages}, replacing the defaults; none for images with jars baked in. */
  public SparkNotebook packages(String... coordinates) {
    return new SparkNotebook(executors, executorCores, executorMemory, driverMemory, notebookImage, executorImage,
        Arrays.asList(coordinates), conf, overrides, notebookStorage, storageClass);
  }

  /**
   * A Spark setting for {@code spark-defaults.conf}. Keys kubemesh wires itself (master, namespace, driver address,
   * ports, images, object store endpoint and credentials, Delta) are refused: use {@link #overrideConf} to replace
   * one on purpose, or the typed setter named in the error.
   *
   * @throws KubemeshException when kubemesh owns {@code key}
   */
  public SparkNotebook conf(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    String owner = SparkDefaults.ownedBy(key);
    if (owner != null) {
      throw KubemeshException.invalid("spark-notebook.conf[" + key + "]", value, "kubemesh sets '" + key + "' "
          + owner + "; to replace it on purpose use overrideConf(\"" + key + "\", ...)");
    }
    Map<String, String> copy = new TreeMap<>(conf);
    copy.put(key, value);
    return new SparkNotebook(executors, executorCores, executorMemory, driverMemory, notebookImage, executorImage,
        packages, copy, overrides, notebookStorage, storageClass);
  }

  /**
   * Replaces a setting that kubemesh would otherwise write, such as {@code spark.delta.logStore.s3a.impl}. Literal
   * credentials are refused here too: they only ever come from Secrets.
   */
  public SparkNotebook overrideConf(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Map<String, String> copy = new TreeMap<>(overrides);
    copy.put(key, value);
    return new SparkNotebook(executors, executorCores, executorMemory, driverMemory, notebookImage, executorImage,
        packages, conf, copy, notebookStorage, storageClass);
  }

  /** Size of the notebooks volume mounted at {@code /home/jovyan/work}, a Kubernetes quantity such as {@code 20Gi}. */
  public SparkNotebook notebookStorage(String size) {
    return new SparkNotebook(executors, executorCores, executorMemory, driverMemory, notebookImage, executorImage,
        packages, conf, overrides, size, storageClass);
  }

  /** The storage class of the notebooks volume; the cluster's default unless set. */
  public SparkNotebook storageClass(String name) {
    return new SparkNotebook(executors, executorCores, executorMemory, driverMemory, notebookImage, executorImage,
        packages, conf, overrides, notebookStorage, name);
  }

  /** The image executors run: the notebook image unless {@link #executorImage(String)} was set. */
  String effectiveExecutorImage() {
    return executorImage == null ? notebookImage : executorImage;
  }

  /** Whether executors run the notebook image and so need Spark's entrypoint named in the pod template. */
  boolean executorsRunNotebookImage() {
    return executorImage == null || executorImage.equals(notebookImage);
  }

  @Override
  public String toString() {
    return "SparkNotebook[executors=" + executors + ", executorCores=" + executorCores + ", executorMemory="
        + executorMemory + ", driverMemory=" + driverMemory + ", notebookImage=" + notebookImage
        + ", executorImage=" + effectiveExecutorImage() + ", notebookStorage=" + notebookStorage + "]";
  }
}
