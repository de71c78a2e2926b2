package io.kubemesh.core.validation;

import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.KubemeshException.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects broken rules so that one build reports every problem at once.
 *
 * <pre>{@code
 * Problems problems = new Problems();
 * Rules.dnsLabel(problems, "domain.name", "sales");
 * problems.throwIfAny("mesh 'acme'");
 * }</pre>
 */
public final class Problems {
  private final List<Violation> violations = new ArrayList<>();

  /** Records that {@code field} had {@code value}, which breaks {@code rule}. */
  public Problems add(String field, Object value, String rule) {
    violations.add(new Violation(field, value == null ? null : String.valueOf(value), rule));
    return this;
  }

  /** Records {@code rule} as broken unless {@code ok}. */
  public Problems check(boolean ok, String field, Object value, String rule) {
    if (!ok) {
      add(field, value, rule);
    }
    return this;
  }

  boolean checkMatches(java.util.regex.Pattern pattern, String field, String value, String rule) {
    boolean ok = value != null && pattern.matcher(value).matches();
    check(ok, field, value, rule);
    return ok;
  }

  public boolean isEmpty() {
    return violations.isEmpty();
  }

  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** Throws one {@link KubemeshException} naming every problem, if there is any. */
  public void throwIfAny(String what) {
    if (!violations.isEmpty()) {
      throw KubemeshException.invalid(what, violations);
    }
  }
}
