package io.kubemesh.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Tells whether a Docker engine is reachable for Testcontainers, and if not, why. */
final class DockerProbe {

  private static volatile Optional<String> cached;

  private DockerProbe() {
  }

  /** Empty when Docker is reachable; otherwise the reason it is not. */
  static Optional<String> unavailableReason() {
    Optional<String> c = cached;
    if (c == null) {
      c = probe();
      cached = c;
    }
    return c;
  }

  private static Optional<String> probe() {
    String host = System.getenv("DOCKER_HOST");
    boolean socket = Files.exists(Path.of("/var/run/docker.sock"));
    boolean tcProps = Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    if ((host == null || host.isBlank()) && !socket && !tcProps) {
      return Optional.of("DOCKER_HOST unset, /var/run/docker.sock absent, no ~/.testcontainers.properties");
    }
    try {
      if (org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
        return Optional.empty();
      }
      return Optional.of("Testcontainers found no working Docker environment"
          + (host == null ? "" : " (DOCKER_HOST=" + host + ")"));
    } catch (RuntimeException | LinkageError e) {
      return Optional.of("Testcontainers: " + e);
    }
  }
}
