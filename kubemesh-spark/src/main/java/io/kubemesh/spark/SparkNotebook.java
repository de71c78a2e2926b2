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

  // Set only while a copy is made in change(...); never after a method returns.
  int executors;
  int executorCores;
  String executorMemory;
  String driverMemory;
  String notebookImage;
  String executorImage; // null: the notebook image
  List<String> packages;
  Map<String, String> conf;
  Map<String, String> overrides;
  String notebookStorage;
  String storageClass; // null: the cluster's default
  boolean imagesFromMeshRegistry;
  String pullSecret; // set on the copy an engine emits with once the mesh registry is resolved

  private SparkNotebook(int executors, int executorCores, String executorMemory, String driverMemory,
      String notebookImage, String executorImage, List<String> packages, Map<String, String> conf,
      Map<String, String> overrides, String notebookStorage, String storageClass, boolean imagesFromMeshRegistry) {
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
    this.imagesFromMeshRegistry = imagesFromMeshRegistry;
  }

  private SparkNotebook change(java.util.function.Consumer<SparkNotebook> change) {
    SparkNotebook copy = new SparkNotebook(executors, executorCores, executorMemory, driverMemory, notebookImage,
        executorImage, packages, conf, overrides, notebookStorage, storageClass, imagesFromMeshRegistry);
    copy.pullSecret = pullSecret;
    change.accept(copy);
    return copy;
  }

  /** These settings with both images moved to {@code registry} and its pull secret attached. */
  SparkNotebook pulledFrom(io.kubemesh.core.capability.ImageRegistry registry) {
    return change(n -> {
      n.notebookImage = mirrored(registry, notebookImage);
      n.executorImage = executorImage == null ? null : mirrored(registry, executorImage);
      n.imagesFromMeshRegistry = false;
      n.pullSecret = registry.pullSecret();
    });
  }

  /** {@code quay.io/jupyter/x:1} becomes {@code <registry>/jupyter/x:1}: same path and tag, another host. */
  static String mirrored(io.kubemesh.core.capability.ImageRegistry registry, String image) {
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    return registry.address() + "/" + (hasHost ? image.substring(slash + 1) : image);
  }

  /**
   * Pulls the notebook and executor images from the mesh's registry ({@code withRegistry()} on the platform or
   * the domain) instead of their public registries: the same repository path and tag under the registry's address,
   * with its pull secret on the notebook pod and the executors. Push (or mirror) the images there first.
   */
  public SparkNotebook imagesFromMeshRegistry() {
    return change(n -> n.imagesFromMeshRegistry = true);
  }

  /**
   * Two executors of one core and 1g each, a 2g driver, the pinned images, Delta and hadoop-aws from Maven Central,
   * and a 5Gi volume for notebooks.
   */
  public static SparkNotebook defaults() {
    return new SparkNotebook(2, 1, "1g", "2g", SparkVersions.NOTEBOOK_IMAGE, null, SparkVersions.PACKAGES,
        Map.of(), Map.of(), "5Gi", null, false);
  }

  /** The engine that emits the notebook's objects; settings are checked when the mesh is built. */
  public Engine engine() {
    return new SparkNotebookEngine(this);
  }

  /** How many executor pods to start ({@code spark.executor.instances}). */
  public SparkNotebook executors(int count) {
    return change(n -> n.executors = count);
  }

  /** Cores per executor; also its CPU request and limit. */
  public SparkNotebook executorCores(int cores) {
    return change(n -> n.executorCores = cores);
  }

  /** Executor JVM heap as a Spark size such as {@code 4g}; the pod gets Spark's overhead on top. */
  public SparkNotebook executorMemory(String size) {
    return change(n -> n.executorMemory = size);
  }

  /** Driver JVM heap in the notebook pod, as a Spark size; the pod gets room for Jupyter and Python on top. */
  public SparkNotebook driverMemory(String size) {
    return change(n -> n.driverMemory = size);
  }

  /**
   * Another notebook image, pinned; it must be a Jupyter docker-stacks pyspark image (uid 1000, Spark in
   * {@code /usr/local/spark}) of the Spark version in the version table.
   */
  public SparkNotebook notebookImage(String image) {
    return change(n -> n.notebookImage = image);
  }

  /**
   * A separate executor image with Spark's own entrypoint (such as an image built from {@code apache/spark}); it must
   * carry the same Spark and Python minor version as the notebook image, or Python functions fail.
   */
  public SparkNotebook executorImage(String image) {
    return change(n -> n.executorImage = image);
  }

  /** Maven coordinates for {@code spark.jars.packages}, replacing the defaults; none for images with jars baked in. */
  public SparkNotebook packages(String... coordinates) {
    return change(n -> n.packages = List.copyOf(Arrays.asList(coordinates)));
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
    return change(n -> n.conf = Collections.unmodifiableMap(copy));
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
    return change(n -> n.overrides = Collections.unmodifiableMap(copy));
  }

  /** Size of the notebooks volume mounted at {@code /home/jovyan/work}, a Kubernetes quantity such as {@code 20Gi}. */
  public SparkNotebook notebookStorage(String size) {
    return change(n -> n.notebookStorage = size);
  }

  /** The storage class of the notebooks volume; the cluster's default unless set. */
  public SparkNotebook storageClass(String name) {
    return change(n -> n.storageClass = name);
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
