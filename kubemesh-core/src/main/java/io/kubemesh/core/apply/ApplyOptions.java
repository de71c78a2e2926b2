package io.kubemesh.core.apply;

import io.kubemesh.core.KubemeshException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link MeshApplier} works: field manager, conflicts, readiness timeouts, parallelism and progress.
 *
 * <p>Defaults: field manager {@code kubemesh}, conflicts are reported and not forced, every object that has a ready
 * condition is waited for up to 5 minutes, 8 objects of a phase at a time, one console line per phase.
 *
 * <pre>{@code
 * ApplyOptions options = ApplyOptions.builder()
 *     .readyTimeout(Duration.ofMinutes(10))                       // the whole mesh
 *     .readyTimeout("spark", Duration.ofMinutes(15))              // one engine
 *     .readyTimeout("Job", "sales", "init-buckets", Duration.ofMinutes(2)) // one object
 *     .parallelism(4)
 *     .build();
 * }</pre>
 */
public final class ApplyOptions {
  /** The field manager kubemesh applies as unless told otherwise. */
  public static final String DEFAULT_FIELD_MANAGER = "kubemesh";
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(5);

  private final String fieldManager;
  private final boolean forceConflicts;
  private final Duration readyTimeout;
  private final Map<String, Duration> engineTimeouts;
  private final Map<String, Duration> objectTimeouts;
  private final boolean waitForReady;
  private final int parallelism;
  private final ApplyListener listener;
  private final Duration deleteTimeout;

  private ApplyOptions(Builder b) {
    this.fieldManager = b.fieldManager;
    this.forceConflicts = b.forceConflicts;
    this.readyTimeout = b.readyTimeout;
    this.engineTimeouts = Map.copyOf(b.engineTimeouts);
    this.objectTimeouts = Map.copyOf(b.objectTimeouts);
    this.waitForReady = b.waitForReady;
    this.parallelism = b.parallelism;
    this.listener = b.listener;
    this.deleteTimeout = b.deleteTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static ApplyOptions defaults() {
    return builder().build();
  }

  public String fieldManager() {
    return fieldManager;
  }

  public boolean forceConflicts() {
    return forceConflicts;
  }

  public boolean waitForReady() {
    return waitForReady;
  }

  public int parallelism() {
    return parallelism;
  }

  public ApplyListener listener() {
    return listener;
  }

  public Duration deleteTimeout() {
    return deleteTimeout;
  }

  /** The readiness timeout for one object: its own, else its engine's, else the mesh's. */
  public Duration readyTimeout(String engine, String kind, String namespace, String name) {
    Duration own = objectTimeouts.get(objectKey(kind, namespace, name));
    if (own != null) {
      return own;
    }
    return engineTimeouts.getOrDefault(engine, readyTimeout);
  }

  static String objectKey(String kind, String namespace, String name) {
    return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
  }

  /** Collects options; {@link #build()} checks them. */
  public static final class Builder {
    private String fieldManager = DEFAULT_FIELD_MANAGER;
    private boolean forceConflicts;
    private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
    private final Map<String, Duration> engineTimeouts = new HashMap<>();
    private final Map<String, Duration> objectTimeouts = new HashMap<>();
    private boolean waitForReady = true;
    private int parallelism = 8;
    private ApplyListener listener = ApplyListener.console();
    private Duration deleteTimeout = Duration.ofMinutes(3);

    private Builder() {}

    /** The server-side apply field manager; {@code kubemesh} by default. */
    public Builder fieldManager(String manager) {
      this.fieldManager = manager;
      return this;
    }

    /**
     * Takes fields another manager owns instead of failing with a conflict. Off by default: a conflict is reported
     * with the other manager's name.
     */
    public Builder forceConflicts(boolean force) {
      this.forceConflicts = force;
      return this;
    }

    /** How long any object may take to become ready; 5 minutes by default. */
    public Builder readyTimeout(Duration timeout) {
      this.readyTimeout = positive("readyTimeout", timeout);
      return this;
    }

    /** How long the objects of one engine (by its name, e.g. {@code minio}) may take. */
    public Builder readyTimeout(String engine, Duration timeout) {
      engineTimeouts.put(Objects.requireNonNull(engine, "engine"), positive("readyTimeout[" + engine + "]", timeout));
      return this;
    }

    /** How long one object may take; {@code namespace} is empty or null for cluster-scoped objects. */
    public Builder readyTimeout(String kind, String namespace, String name, Duration timeout) {
      String key = objectKey(kind, namespace, name);
      objectTimeouts.put(key, positive("readyTimeout[" + key + "]", timeout));
      return this;
    }

    /**
     * Whether to wait for objects to become ready before the next phase; on by default. Without waiting, the
     * applier still waits for CustomResourceDefinitions to be Established, because their custom resources cannot
     * be applied before.
     */
    public Builder waitForReady(boolean wait) {
      this.waitForReady = wait;
      return this;
    }

    /** Same as {@code waitForReady(false)}. */
    public Builder skipWaits() {
      return waitForReady(false);
    }

    /** How many objects of one phase are applied at the same time; 8 by default, 1 to go one by one. */
    public Builder parallelism(int n) {
      this.parallelism = n;
      return this;
    }

    /** Who hears about progress; {@link ApplyListener#console()} by default. */
    public Builder listener(ApplyListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** No progress output: for tests. */
    public Builder quiet() {
      return listener(ApplyListener.quiet());
    }

    /** How long destroy and prune wait for deleted objects to go; 3 minutes by default. */
    public Builder deleteTimeout(Duration timeout) {
      this.deleteTimeout = positive("deleteTimeout", timeout);
      return this;
    }

    public ApplyOptions build() {
      if (fieldManager == null || fieldManager.isBlank() || fieldManager.length() > 128) {
        throw KubemeshException.invalid("fieldManager", fieldManager, "must be 1 to 128 characters");
      }
      if (parallelism < 1 || parallelism > 64) {
        throw KubemeshException.invalid("parallelism", parallelism, "must be between 1 and 64");
      }
      return new ApplyOptions(this);
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw KubemeshException.invalid(field, d, "must be a positive duration");
      }
      return d;
    }
  }
}
