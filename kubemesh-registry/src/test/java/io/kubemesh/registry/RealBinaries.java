package io.kubemesh.registry;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the binaries the real-engine tests run, and runs them as child processes.
 *
 * <p>{@code registry} comes from {@code tools/registry/build.sh}; {@code minio} and {@code mc} from
 * {@code tools/minio/build.sh}. A missing binary skips the test with the command that builds it, or fails it when
 * {@code CI=true}, where a skipped real-engine test would hide that nothing was proven.
 */
final class RealBinaries {
  private RealBinaries() {}

  static Path cache() {
    String env = System.getenv("KUBEMESH_CACHE");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "kubemesh");
  }

  /** The dir holding {@code names}: the property, the environment variable, the tool's "current", any build. */
  static Path binDir(String tool, String property, String envVar, String buildCommand, String... names) {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty(property)).map(Path::of).ifPresent(candidates::add);
    Optional.ofNullable(System.getenv(envVar)).filter(s -> !s.isBlank()).map(Path::of).ifPresent(candidates::add);
    Path root = cache().resolve(tool);
    try {
      Path current = root.resolve("current");
      if (Files.isReadable(current)) {
        candidates.add(Path.of(Files.readString(current, StandardCharsets.UTF_8).trim()));
      }
      if (Files.isDirectory(root)) {
        try (Stream<Path> builds = Files.list(root)) {
          builds.map(b -> b.resolve("bin")).filter(Files::isDirectory).sorted().forEach(candidates::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path dir : candidates) {
      if (Stream.of(names).allMatch(n -> Files.isExecutable(dir.resolve(n)))) {
        return dir;
      }
    }
    String message = String.join(", ", names) + " not found (looked in -D" + property + ", $" + envVar + ", "
        + root + "/current and " + root + "/*/bin); build with: " + buildCommand;
    if ("true".equals(System.getenv("CI"))) {
      fail("CI=true and " + message);
    }
    Assumptions.abort("skipped: " + message);
    return null;
  }

  static Path registry() {
    return binDir("registry", "kubemesh.registry.bin", "KUBEMESH_REGISTRY_BIN", "tools/registry/build.sh", "registry")
        .resolve("registry");
  }

  static Path minioDir() {
    return binDir("minio", "kubemesh.minio.bin", "KUBEMESH_MINIO_BIN", "tools/minio/build.sh", "minio", "mc");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A child process whose output goes to a log file; closing it stops it. */
  static final class Child implements AutoCloseable {
    final Process process;
    final Path log;

    private Child(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Child start(List<String> command, Map<String, String> env, Path log) throws IOException {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      return new Child(pb.start(), log);
    }

    String log() {
      try {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() > 6000 ? "..." + text.substring(text.length() - 6000) : text;
      } catch (IOException e) {
        return "<no log: " + e.getMessage() + ">";
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Runs a command to completion and returns its output; fails the test with the output on a non-zero exit. */
  static String run(List<String> command, Map<String, String> env, Path workDir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(workDir.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in 60s:\n" + out);
    }
    if (p.exitValue() != 0) {
      fail(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + out);
    }
    return out;
  }
}
