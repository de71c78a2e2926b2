package io.kubemesh.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/** {@link LocalControlPlane} as a {@link TestCluster}. */
final class LocalTestCluster implements TestCluster, AutoCloseable {

  private final LocalControlPlane controlPlane;

  LocalTestCluster(LocalControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  LocalControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public Backend backend() {
    return Backend.LOCAL;
  }

  @Override
  public KubernetesClient client() {
    return controlPlane.client();
  }

  @Override
  public Path kubeconfig() {
    return controlPlane.kubeconfig();
  }

  @Override
  public String description() {
    return "local control plane " + controlPlane.serverVersion();
  }

  @Override
  public java.util.Optional<LocalControlPlane> localControlPlane() {
    return java.util.Optional.of(controlPlane);
  }

  @Override
  public void close() {
    controlPlane.close();
  }
}
