package io.kubemesh.minio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The {@code minio} and {@code mc} programs that {@code tools/minio/build.sh} builds, run as separate processes.
 *
 * <p>Found through {@code -Dkubemesh.minio.bin}, else {@code KUBEMESH_MINIO_BIN}, else the {@code current} file the
 * build script writes under {@code ${KUBEMESH_CACHE:-~/.cache/kubemesh}/minio}. When they are missing, tests fail
 * under {@code CI=true} and are skipped elsewhere, saying how to build them.
 */
final class MinioBinaries {
  final Path dir;

  private MinioBinaries(Path dir) {
    this.dir = dir;
  }

  static MinioBinaries locate() {
    String configured = System.getProperty("kubemesh.minio.bin", System.getenv("KUBEMESH_MINIO_BIN"));
    Path dir = null;
    String where;
    if (configured != null && !configured.isBlank()) {
      dir = Path.of(configured);
      where = dir.toString();
    } else {
      String cache = System.getenv().getOrDefault("KUBEMESH_CACHE",
          System.getProperty("user.home") + "/.cache/kubemesh");
      Path current = Path.of(cache, "minio", "current");
      where = current + " (written by tools/minio/build.sh)";
      try {
        if (Files.isReadable(current)) {
          dir = Path.of(Files.readString(current, StandardCharsets.UTF_8).trim());
        }
      } catch (IOException e) {
        dir = null;
      }
    }
    if (dir == null || !Files.isExecutable(dir.resolve("minio")) || !Files.isExecutable(dir.resolve("mc"))) {
      String message = "the MinIO binaries (minio, mc) were not found via " + where
          + "; build them with tools/minio/build.sh or point -Dkubemesh.minio.bin / KUBEMESH_MINIO_BIN at them";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail("CI=true and " + message);
      }
      System.out.println("MinIO real-engine tests skipped: " + message);
      Assumptions.abort("skipped: " + message);
    }
    return new MinioBinaries(dir);
  }

  Path minio() {
    return dir.resolve("minio");
  }

  Path mc() {
    return dir.resolve("mc");
  }

  /** The first line of {@code <program> --version}. */
  String version(Path program) {
    return run(List.of(program.toString(), "--version"), Map.of(), null, 30).out().lines().findFirst().orElse("?");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  record Result(int exit, String out) {}

  /** Runs a command to completion with {@code env} added to this JVM's environment, output merged. */
  static Result run(List<String> command, Map<String, String> env, String stdin, int timeoutSeconds) {
    Path output = null;
    try {
      output = Files.createTempFile("kubemesh-minio-run", ".log");
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
          .redirectOutput(output.toFile());
      Map<String, String> e = pb.environment();
      e.keySet().removeIf(k -> k.startsWith("MC_HOST_") || k.startsWith("MINIO_"));
      e.putAll(new HashMap<>(env));
      Process p = pb.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish in " + timeoutSeconds + "s: "
            + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    } finally {
      if (output != null) {
        output.toFile().delete();
      }
    }
  }
}
