package io.kubemesh.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * A running cluster handed to tests by {@link KubemeshCluster}.
 *
 * <pre>{@code
 * @Test
 * void seesNodes(TestCluster cluster, KubernetesClient client) {
 *   assertThat(client.nodes().list().getItems()).isNotEmpty();
 * }
 * }</pre>
 */
public interface TestCluster {
  /** Which backend serves it. */
  Backend backend();

  /** An admin client, shared by the whole run: do not close it. */
  KubernetesClient client();

  /** A kubeconfig file for it (for kubectl or other tools). */
  Path kubeconfig();

  /** A short description for logs, e.g. "local control plane v1.34.4". */
  String description();

  /**
   * The local control plane behind this cluster, for tests that stop and start its API server; empty for other
   * backends.
   */
  default java.util.Optional<LocalControlPlane> localControlPlane() {
    return java.util.Optional.empty();
  }
}
