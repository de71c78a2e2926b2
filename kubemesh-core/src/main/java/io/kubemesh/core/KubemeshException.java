package io.kubemesh.core;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one exception kubemesh throws for bad input and failed cluster work.
 *
 * <p>Every message names what was wrong, the value that was given and the rule it broke, so a caller can fix
 * the declaration without reading kubemesh's source. When a mesh is built, all problems are collected first and
 * reported together, and no partially built mesh is ever returned.
 *
 * <pre>{@code
 * try {
 *   Mesh.domain("Sales").build();
 * } catch (KubemeshException e) {
 *   e.violations().forEach(v -> System.out.println(v.field() + ": " + v.rule()));
 * }
 * }</pre>
 */
public final class KubemeshException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ImmutableList<Violation> violations;

  /** One broken rule: the field, the value it had and the rule it broke. */
  public record Violation(String field, String value, String rule) {
    @Override
    public String toString() {
      return field + " = " + (value == null ? "<none>" : "'" + value + "'") + ": " + rule;
    }
  }

  private KubemeshException(String message, List<Violation> violations, Throwable cause) {
    super(message, cause);
    this.violations = ImmutableList.copyOf(violations);
  }

  /** A single invalid value. */
  public static KubemeshException invalid(String field, Object value, String rule) {
    Violation v = new Violation(field, value == null ? null : String.valueOf(value), rule);
    return new KubemeshException(v.toString(), List.of(v), null);
  }

  /** Several problems found while building {@code what}, reported at once. */
  public static KubemeshException invalid(String what, List<Violation> violations) {
    if (violations.size() == 1) {
      return new KubemeshException(what + ": " + violations.get(0), violations, null);
    }
    String lines = violations.stream().map(v -> "  - " + v).collect(Collectors.joining("\n"));
    return new KubemeshException(
        what + ": " + violations.size() + " problems\n" + lines, violations, null);
  }

  /** A failure that is not about input, for example a cluster call that failed. */
  public static KubemeshException failed(String message, Throwable cause) {
    return new KubemeshException(message, List.of(), cause);
  }

  /** The broken rules; empty for failures that are not about input. */
  public List<Violation> violations() {
    return violations;
  }
}
