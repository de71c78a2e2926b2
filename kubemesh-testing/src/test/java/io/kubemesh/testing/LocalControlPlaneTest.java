package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The launcher on its own: kubeconfig works, processes and files go away on close. */
@Tag("real-server")
class LocalControlPlaneTest {

  @Test
  void startsServesAndCleansUp() throws Exception {
    ControlPlaneBinaries bin = ControlPlaneBinaries.locate();
    if (!KubemeshClusterExtension.isCi()) {
      assumeTrue(bin.present(), () -> "local control plane skipped: " + bin.problem().orElse(""));
    }
    Path workDir;
    Map<String, Long> rss;
    try (LocalControlPlane cp = LocalControlPlane.builder().binaries(bin).nodes(1).start()) {
      workDir = cp.logDir().getParent();
      assertThat(cp.apiServerUrl()).startsWith("https://127.0.0.1:");
      try (KubernetesClient other = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(cp.kubeconfig()))).build()) {
        assertThat(other.nodes().list().getItems()).hasSize(1);
      }
      rss = cp.residentMemoryKib();
      assertThat(rss).containsOnlyKeys("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");
      assertThat(cp.logDir().resolve("kube-apiserver.log")).exists();
      System.out.println("LocalControlPlaneTest: ready in " + cp.startupTime().toMillis() + " ms, RSS KiB " + rss);
    }
    if (!Boolean.getBoolean("kubemesh.controlPlane.keep")) {
      assertThat(workDir).doesNotExist();
    }
  }
}
