package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
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
    try (LocalControlPlane cp = LocalControlPlane.builder().binaries(bin).nodes(1).storage(false).start()) {
      workDir = cp.logDir().getParent();
      assertThat(cp.client().storage().v1().storageClasses().list().getItems()).as("storage(false)").isEmpty();
      assertThat(cp.apiServerUrl()).startsWith("https://127.0.0.1:");
      try (KubernetesClient other = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(cp.kubeconfig()))).build()) {
        assertThat(other.nodes().list().getItems()).hasSize(1);
      }
      rss = cp.residentMemoryKib();
      assertThat(rss).containsOnlyKeys("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");
      assertThat(cp.logDir().resolve("kube-apiserver.log")).exists();
      System.out.println("LocalControlPlaneTest: ready in " + cp.startupTime().toMillis() + " ms, RSS KiB " + rss);

      // The API server goes away and comes back on the same port with the same etcd and certificates.
      cp.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
          .withName("before-restart").endMetadata().addToData("k", "v").build()).create();
      cp.stopApiServer();
      assertThat(cp.apiServerRunning()).isFalse();
      try (KubernetesClient impatient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
          cp.client().getConfiguration()).withRequestRetryBackoffLimit(0).build()).build()) {
        assertThatThrownBy(() -> impatient.namespaces().list()).isInstanceOf(KubernetesClientException.class);
      }
      assertThatThrownBy(cp::stopApiServer).hasMessageContaining("stopped already");
      Duration restart = cp.startApiServer();
      assertThat(cp.apiServerRunning()).isTrue();
      assertThat(cp.client().configMaps().inNamespace("default").withName("before-restart").get().getData())
          .containsEntry("k", "v");
      assertThat(cp.client().nodes().list().getItems()).hasSize(1);
      assertThat(cp.residentMemoryKib()).containsKey("kube-apiserver");
      assertThat(Files.readString(cp.logDir().resolve("kube-apiserver.log"))).contains("# restarted: ");
      System.out.println("LocalControlPlaneTest: API server ready again " + restart.toMillis() + " ms after start");
    }
    if (!Boolean.getBoolean("kubemesh.controlPlane.keep")) {
      assertThat(workDir).doesNotExist();
    }
  }
}
