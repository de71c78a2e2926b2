package io.kubemesh.core.apply;

import io.kubemesh.core.output.Phase;
import java.time.Duration;

/**
 * What happened to one object during an apply or destroy.
 *
 * <pre>{@code
 * for (ObjectResult r : report.objects(ObjectResult.Outcome.KEPT)) {
 *   System.out.println(r.kind() + " " + r.namespace() + "/" + r.name() + " kept: " + r.detail());
 * }
 * }</pre>
 *
 * @param phase the phase the object belongs to
 * @param kind its kind
 * @param namespace its namespace, empty for cluster-scoped objects
 * @param name its name
 * @param outcome what happened
 * @param detail why, for {@link Outcome#FAILED}, {@link Outcome#KEPT} and {@link Outcome#NOT_APPLIED}; empty
 *     otherwise. Never holds a Secret value.
 * @param took time spent on the object, readiness wait included
 */
public record ObjectResult(
    Phase phase, String kind, String namespace, String name, Outcome outcome, String detail, Duration took) {

  /** What happened to an object. */
  public enum Outcome {
    /** It did not exist and was created. */
    CREATED,
    /** It existed and was changed (or adopted). */
    CONFIGURED,
    /** Its desired state had not changed since the last apply: no request was sent for it. */
    UNCHANGED,
    /** The mesh applied it before, no longer declares it, and it was deleted. */
    PRUNED,
    /** Destroy deleted it. */
    DELETED,
    /** Prune or destroy left it in place on purpose; {@link #detail()} says why. */
    KEPT,
    /** It could not be applied, did not become ready, or could not be deleted; {@link #detail()} says why. */
    FAILED,
    /** An earlier failure stopped the run before this object was applied. */
    NOT_APPLIED
  }

  /** {@code Kind namespace/name}, or {@code Kind name} for cluster-scoped objects. */
  public String id() {
    return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }

  @Override
  public String toString() {
    return id() + ": " + outcome.name().toLowerCase(java.util.Locale.ROOT) + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
