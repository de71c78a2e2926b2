package io.kubemesh.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the control-plane binaries built by {@code tools/control-plane/build.sh} are.
 *
 * <p>Looked up, in order: system property {@value #PROPERTY}, environment variable {@value #ENV},
 * the bin dir recorded by build.sh in {@code <cache>/control-plane/current}, where {@code <cache>} is
 * {@code $KUBEMESH_CACHE} or {@code ~/.cache/kubemesh}.
 *
 * <pre>{@code
 * LocalControlPlane cluster = LocalControlPlane.builder().binaries(ControlPlaneBinaries.locate()).start();
 * }</pre>
 */
public final class ControlPlaneBinaries {

  public static final String PROPERTY = "kubemesh.controlPlane.bin";
  public static final String ENV = "KUBEMESH_CONTROL_PLANE_BIN";
  public static final List<String> REQUIRED = List.of("etcd", "kube-apiserver", "kube-controller-manager",
      "kube-scheduler", "kwok", "kwok-stages.yaml");

  private final Path dir;
  private final String source;

  private ControlPlaneBinaries(Path dir, String source) {
    this.dir = dir;
    this.source = source;
  }

  /** The bin dir to use, from the system properties and environment of this JVM. */
  public static ControlPlaneBinaries locate() {
    return locate(System.getProperties(), System.getenv());
  }

  static ControlPlaneBinaries locate(Properties props, Map<String, String> env) {
    String p = props.getProperty(PROPERTY);
    if (isSet(p)) {
      return new ControlPlaneBinaries(Path.of(p), "system property " + PROPERTY);
    }
    String e = env.get(ENV);
    if (isSet(e)) {
      return new ControlPlaneBinaries(Path.of(e), "environment variable " + ENV);
    }
    Path cache = cacheRoot(env).resolve("control-plane");
    Path current = cache.resolve("current");
    if (Files.isRegularFile(current)) {
      try {
        String recorded = Files.readString(current).trim();
        if (!recorded.isEmpty()) {
          return new ControlPlaneBinaries(Path.of(recorded), current + " (written by tools/control-plane/build.sh)");
        }
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot read " + current, ex);
      }
    }
    return new ControlPlaneBinaries(cache.resolve("<key>").resolve("bin"),
        "default cache; no " + current + " yet: run tools/control-plane/build.sh");
  }

  static Path cacheRoot(Map<String, String> env) {
    String c = env.get("KUBEMESH_CACHE");
    if (isSet(c)) {
      return Path.of(c);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "kubemesh");
  }

  private static boolean isSet(String s) {
    // An unset Maven property may reach us as its literal "${...}".
    return s != null && !s.isBlank() && !s.startsWith("${");
  }

  public Path dir() {
    return dir;
  }

  public Path binary(String name) {
    return dir.resolve(name);
  }

  /** The files that are missing from the bin dir (empty when all are there). */
  public List<String> missing() {
    List<String> m = new ArrayList<>();
    for (String r : REQUIRED) {
      Path f = dir.resolve(r);
      if (!Files.isRegularFile(f) || (!r.endsWith(".yaml") && !Files.isExecutable(f))) {
        m.add(r);
      }
    }
    return m;
  }

  public boolean present() {
    return missing().isEmpty();
  }

  /** Why these binaries cannot be used; empty when they can. */
  public Optional<String> problem() {
    List<String> m = missing();
    if (m.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("control-plane binaries not found: " + dir + " (from " + source + ") lacks " + m
        + "; build them with tools/control-plane/build.sh, or point -D" + PROPERTY + " / " + ENV + " at them");
  }

  /** Pinned versions recorded by build.sh (kubernetes, etcd, kwok, go, key); empty if unknown. */
  public Properties versions() {
    Properties p = new Properties();
    Path f = dir.resolve("versions.properties");
    if (Files.isRegularFile(f)) {
      try (Reader r = Files.newBufferedReader(f)) {
        p.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return p;
  }

  public String kubernetesVersion() {
    return versions().getProperty("kubernetes", "unknown");
  }

  @Override
  public String toString() {
    return dir + " (from " + source + ")";
  }
}
