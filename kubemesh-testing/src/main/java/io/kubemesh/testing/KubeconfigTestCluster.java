package io.kubemesh.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/** The cluster of the current KUBECONFIG context: only when asked for explicitly. */
final class KubeconfigTestCluster implements TestCluster, AutoCloseable {

  private final KubernetesClient client;
  private final Path kubeconfig;

  KubeconfigTestCluster() {
    String env = System.getenv("KUBECONFIG");
    Path file = env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
        : Path.of(System.getProperty("user.home"), ".kube", "config");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("backend kubeconfig chosen but " + file + " does not exist");
    }
    kubeconfig = file;
    client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
  }

  @Override
  public Backend backend() {
    return Backend.KUBECONFIG;
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
    return "existing cluster " + client.getMasterUrl() + " (KUBECONFIG " + kubeconfig + ")";
  }

  @Override
  public void close() {
    client.close();
  }
}
