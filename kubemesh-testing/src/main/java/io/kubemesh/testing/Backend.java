package io.kubemesh.testing;

import java.util.Locale;

/**
 * Where {@link KubemeshCluster} tests get their Kubernetes API server; chosen with {@code -D}{@value #PROPERTY} or
 * {@value #ENV}, the local control plane by default.
 *
 * <pre>{@code
 * Backend backend = Backend.valueOf("K3S").resolve();
 * }</pre>
 */
public enum Backend {
  /**
   * The default: {@link #LOCAL}, or the backend named by system property {@value #PROPERTY} /
   * environment variable {@value #ENV}. Never an existing cluster by accident.
   */
  AUTO,
  /** {@link LocalControlPlane}: etcd, kube-apiserver, controller-manager, scheduler and kwok on this machine. */
  LOCAL,
  /** k3s in a container through Testcontainers; skipped where no Docker engine is reachable. */
  K3S,
  /** The cluster of the current KUBECONFIG context; opt-in only ({@code -Dkubemesh.test.backend=kubeconfig}). */
  KUBECONFIG;

  public static final String PROPERTY = "kubemesh.test.backend";
  public static final String ENV = "KUBEMESH_TEST_BACKEND";

  /** Resolves {@link #AUTO} through the system property, then the environment, then {@link #LOCAL}. */
  public Backend resolve() {
    if (this != AUTO) {
      return this;
    }
    String v = System.getProperty(PROPERTY);
    if (v == null || v.isBlank() || v.startsWith("${")) {
      v = System.getenv(ENV);
    }
    return parse(v);
  }

  static Backend parse(String v) {
    if (v == null || v.isBlank() || v.startsWith("${")) {
      return LOCAL;
    }
    try {
      Backend b = valueOf(v.trim().toUpperCase(Locale.ROOT));
      return b == AUTO ? LOCAL : b;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown " + PROPERTY + " '" + v + "': use local, k3s or kubeconfig", e);
    }
  }
}
