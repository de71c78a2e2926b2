package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs where a Docker engine is reachable; elsewhere skipped with the reason. */
@KubemeshCluster(backend = Backend.K3S)
@Tag("real-server")
class K3sBackendTest {

  @Test
  void k3sServesTheApi(KubernetesClient client, TestNamespace ns) {
    assertThat(client.getKubernetesVersion().getGitVersion()).contains("k3s");
    assertThat(client.namespaces().withName(ns.name()).get()).isNotNull();
  }
}
