package io.kubemesh.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link KubemeshCluster}: picks the backend, skips (or in CI fails) when it is
 * missing, starts one cluster per backend for the whole run, injects clients and fresh namespaces,
 * and prints at the end of the run how many tests ran against a real API server.
 *
 * <pre>{@code
 * @ExtendWith(KubemeshClusterExtension.class)   // what @KubemeshCluster does, minus the tag
 * class MyTest {}
 * }</pre>
 */
public final class KubemeshClusterExtension
    implements ExecutionCondition, BeforeAllCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KubemeshClusterExtension.class);
  private static final String SESSION = "session";
  private static final String NAMESPACE = "namespace";

  /** Whether this run is CI (environment variable CI=true), where a missing local control plane fails. */
  static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      return ConditionEvaluationResult.enabled("decided for the class");
    }
    Backend backend = backend(context);
    Session session = session(context);
    Optional<String> skip = switch (backend) {
      case LOCAL -> {
        ControlPlaneBinaries bin = ControlPlaneBinaries.locate();
        if (bin.present() || isCi()) {
          yield Optional.empty(); // in CI, beforeAll fails loudly
        }
        yield Optional.of("local control plane skipped: " + bin.problem().orElseThrow()
            + " (with CI=true this fails instead)");
      }
      case K3S -> DockerProbe.unavailableReason().map(r -> "k3s backend skipped: no Docker engine reachable (" + r + ")");
      case KUBECONFIG -> Optional.empty();
      case AUTO -> throw new IllegalStateException("unresolved backend");
    };
    if (skip.isPresent()) {
      session.skipped(backend, skip.get());
      return ConditionEvaluationResult.disabled(skip.get());
    }
    return ConditionEvaluationResult.enabled("backend " + backend);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    session(context).counted(backend(context));
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
    Class<?> type = p.getParameter().getType();
    return type == KubernetesClient.class || type == TestCluster.class
        || (type == TestNamespace.class && context.getTestMethod().isPresent());
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext context) {
    Class<?> type = p.getParameter().getType();
    TestCluster cluster = cluster(context);
    if (type == KubernetesClient.class) {
      return cluster.client();
    }
    if (type == TestCluster.class) {
      return cluster;
    }
    if (type == TestNamespace.class) {
      String hint = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
      // Stored in the method's store: JUnit closes (deletes) it after the test.
      return context.getStore(NS).getOrComputeIfAbsent(NAMESPACE,
          k -> TestNamespace.create(cluster.client(), hint, Map.of()), TestNamespace.class);
    }
    throw new ParameterResolutionException("unsupported parameter " + p.getParameter());
  }

  /** The cluster for the context's test class (started on first use, shared by the run). */
  public static TestCluster cluster(ExtensionContext context) {
    return session(context).cluster(backend(context));
  }

  static Backend backend(ExtensionContext context) {
    Backend declared = context.getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, KubemeshCluster.class))
        .map(KubemeshCluster::backend)
        .orElse(Backend.AUTO);
    return declared.resolve();
  }

  private static Session session(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(SESSION, k -> new Session(), Session.class);
  }

  /** Per-run state in the root store; JUnit closes it when the run ends. */
  static final class Session implements AutoCloseable {
    private final Map<Backend, Object> clusters = new EnumMap<>(Backend.class);
    private final Map<Backend, AtomicInteger> counts = new EnumMap<>(Backend.class);
    private final Map<Backend, String> skips = new EnumMap<>(Backend.class);

    synchronized TestCluster cluster(Backend backend) {
      Object c = clusters.get(backend);
      if (c == null) {
        try {
          c = start(backend);
        } catch (RuntimeException | Error e) {
          c = e;
        }
        clusters.put(backend, c);
      }
      if (c instanceof RuntimeException e) {
        throw new IllegalStateException(backend + " cluster unavailable: " + e.getMessage(), e);
      }
      if (c instanceof Error e) {
        throw e;
      }
      return (TestCluster) c;
    }

    private static TestCluster start(Backend backend) {
      return switch (backend) {
        case LOCAL -> {
          ControlPlaneBinaries bin = ControlPlaneBinaries.locate();
          if (!bin.present()) {
            throw new IllegalStateException(bin.problem().orElseThrow()
                + (isCi() ? " -- CI=true: real-server tests must run here, so this FAILS instead of skipping" : ""));
          }
          yield new LocalTestCluster(LocalControlPlane.builder().binaries(bin).start());
        }
        case K3S -> new K3sTestCluster();
        case KUBECONFIG -> new KubeconfigTestCluster();
        case AUTO -> throw new IllegalStateException("unresolved backend");
      };
    }

    synchronized void counted(Backend backend) {
      counts.computeIfAbsent(backend, b -> new AtomicInteger()).incrementAndGet();
    }

    synchronized void skipped(Backend backend, String reason) {
      skips.putIfAbsent(backend, reason);
    }

    /** The closing lines: one per backend used or skipped. */
    synchronized Map<Backend, String> summary() {
      Map<Backend, String> lines = new LinkedHashMap<>();
      for (Map.Entry<Backend, Object> e : clusters.entrySet()) {
        int n = counts.getOrDefault(e.getKey(), new AtomicInteger()).get();
        if (e.getValue() instanceof TestCluster c) {
          String extra = "";
          if (c instanceof LocalTestCluster l) {
            LocalControlPlane cp = l.controlPlane();
            long total = cp.residentMemoryKib().values().stream().mapToLong(Long::longValue).filter(v -> v > 0).sum();
            extra = " (started in " + cp.startupTime().toMillis() + " ms, RSS " + (total / 1024) + " MiB: "
                + cp.residentMemoryKib().entrySet().stream().map(m -> m.getKey() + "=" + (m.getValue() / 1024) + "MiB")
                    .reduce((a, b) -> a + ", " + b).orElse("") + ")";
          }
          lines.put(e.getKey(), "real-server tests run: " + n + " against " + c.description() + extra);
        } else {
          lines.put(e.getKey(), "real-server tests run: 0 against " + e.getKey().name().toLowerCase()
              + " backend: it failed to start (" + e.getValue() + ")");
        }
      }
      for (Map.Entry<Backend, String> e : skips.entrySet()) {
        lines.putIfAbsent(e.getKey(), "real-server tests run: 0 (" + e.getValue() + ")");
      }
      return lines;
    }

    @Override
    public synchronized void close() {
      summary().values().forEach(System.out::println);
      for (Object c : clusters.values()) {
        if (c instanceof AutoCloseable a) {
          try {
            a.close();
          } catch (Exception e) {
            System.err.println("kubemesh-testing: closing " + a + " failed: " + e);
          }
        }
      }
      clusters.clear();
    }
  }
}
