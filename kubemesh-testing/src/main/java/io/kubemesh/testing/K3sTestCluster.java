package io.kubemesh.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** k3s in a container (needs a Docker engine). Image: -Dkubemesh.k3s.image, default {@value #DEFAULT_IMAGE}. */
final class K3sTestCluster implements TestCluster, AutoCloseable {

  static final String DEFAULT_IMAGE = "rancher/k3s:v1.34.4-k3s1";

  private final K3sContainer container;
  private final KubernetesClient client;
  private final Path kubeconfig;
  private final String image;

  K3sTestCluster() {
    image = System.getProperty("kubemesh.k3s.image", DEFAULT_IMAGE);
    container = new K3sContainer(DockerImageName.parse(image));
    container.start();
    try {
      String yaml = container.getKubeConfigYaml();
      kubeconfig = Files.createTempFile("kubemesh-k3s-", ".kubeconfig");
      Kubeconfig.writePrivate(kubeconfig, yaml);
      client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
    } catch (IOException e) {
      container.stop();
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Backend backend() {
    return Backend.K3S;
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public String description() {
    return "k3s " + image;
  }

  @Override
  public void close() {
    client.close();
    container.stop();
    try {
      Files.deleteIfExists(kubeconfig);
    } catch (IOException e) {
      // best effort
    }
  }
}
