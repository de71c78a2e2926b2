package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallPartsTest {

  @Test
  void backendParsing() {
    assertThat(Backend.parse(null)).isEqualTo(Backend.LOCAL);
    assertThat(Backend.parse("")).isEqualTo(Backend.LOCAL);
    assertThat(Backend.parse("${kubemesh.test.backend}")).isEqualTo(Backend.LOCAL);
    assertThat(Backend.parse("auto")).isEqualTo(Backend.LOCAL);
    assertThat(Backend.parse("K3s")).isEqualTo(Backend.K3S);
    assertThat(Backend.parse("kubeconfig")).isEqualTo(Backend.KUBECONFIG);
    assertThat(Backend.K3S.resolve()).isEqualTo(Backend.K3S);
    assertThatThrownBy(() -> Backend.parse("minikube")).hasMessageContaining("local, k3s or kubeconfig");
  }

  @Test
  void namespaceNamesAreDnsLabels() {
    String n = TestNamespace.name("RealServerTest-podSecurity_Rejects THE privileged pod and more and more text");
    assertThat(n).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63).startsWith("kmt-realservertest-");
    assertThat(TestNamespace.name("---")).matches("kmt-[0-9a-f]+");
  }

  @Test
  void fakeNodesAreUntaintedAndAnnotatedForKwok() {
    Node n = LocalControlPlane.fakeNode("kwok-node-0");
    assertThat(n.getMetadata().getAnnotations()).containsEntry("kwok.x-k8s.io/node", "fake");
    assertThat(n.getSpec().getTaints()).isNullOrEmpty();
    assertThat(n.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
  }

  @Test
  void deleteTreeKeepsTheLogs(@TempDir Path dir) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("w/logs"));
    Files.writeString(logs.resolve("etcd.log"), "x");
    Files.createDirectories(dir.resolve("w/pki"));
    Files.writeString(dir.resolve("w/pki/ca.key"), "secret");
    LocalControlPlane.deleteTree(dir.resolve("w"), logs);
    assertThat(logs.resolve("etcd.log")).exists();
    assertThat(dir.resolve("w/pki")).doesNotExist();
    LocalControlPlane.deleteTree(dir.resolve("w"), null);
    assertThat(dir.resolve("w")).doesNotExist();
  }
}
