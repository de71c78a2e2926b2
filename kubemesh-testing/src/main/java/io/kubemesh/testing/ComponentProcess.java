package io.kubemesh.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One running control-plane component, its output going to a log file. */
final class ComponentProcess {

  private final String name;
  private final Process process;
  private final Path log;
  private final List<String> command;

  private ComponentProcess(String name, Process process, Path log, List<String> command) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.command = command;
  }

  static ComponentProcess start(String name, List<String> command, Path workDir, Path logDir) throws IOException {
    return start(name, command, workDir, logDir, false);
  }

  /** Starts the component again, appending to its log. */
  static ComponentProcess restart(String name, List<String> command, Path workDir, Path logDir) throws IOException {
    return start(name, command, workDir, logDir, true);
  }

  private static ComponentProcess start(String name, List<String> command, Path workDir, Path logDir,
      boolean append) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    String header = (append ? "# restarted: " : "# ") + String.join(" ", command) + "\n";
    if (append) {
      Files.writeString(log, header, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } else {
      Files.writeString(log, header, StandardCharsets.UTF_8);
    }
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // Keep the user's kubeconfig and proxies away from the components.
    pb.environment().remove("KUBECONFIG");
    pb.environment().remove("HTTPS_PROXY");
    pb.environment().remove("https_proxy");
    pb.environment().remove("HTTP_PROXY");
    pb.environment().remove("http_proxy");
    pb.environment().put("NO_PROXY", "127.0.0.1,localhost");
    return new ComponentProcess(name, pb.start(), log, List.copyOf(command));
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Throws with the log tail when the process has exited. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; log " + log
          + ", last lines:\n" + tail(40));
    }
  }

  /** Resident set size in KiB (Linux /proc), or -1 when unknown. */
  long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  void stop(long graceMillis) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The last {@code lines} lines of the log (read from its last 64 KiB). */
  String tail(int lines) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - 65536);
      byte[] buf = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(buf);
      String[] all = new String(buf, StandardCharsets.UTF_8).split("\n");
      List<String> out = new ArrayList<>();
      for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
        out.add("  " + name + "| " + all[i]);
      }
      return String.join("\n", out);
    } catch (IOException e) {
      return "  (cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public String toString() {
    return name + " pid " + process.pid() + " " + command;
  }
}
