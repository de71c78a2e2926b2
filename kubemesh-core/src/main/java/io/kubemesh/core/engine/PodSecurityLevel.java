package io.kubemesh.core.engine;

/**
 * The Pod Security Standards levels, in order from strictest to loosest.
 *
 * <p>A domain's namespace enforces {@link #RESTRICTED} unless one of its engines declares, with a reason, that it
 * needs a looser level; the reason is written on the namespace as an annotation.
 *
 * <pre>{@code
 * PodSecurityLevel level = PodSecurityLevel.RESTRICTED;
 * String label = level.label();   // "restricted"
 * }</pre>
 */
public enum PodSecurityLevel {
  RESTRICTED("restricted"),
  BASELINE("baseline"),
  PRIVILEGED("privileged");

  private final String label;

  PodSecurityLevel(String label) {
    this.label = label;
  }

  /** The value used in {@code pod-security.kubernetes.io/enforce}. */
  public String label() {
    return label;
  }
}
