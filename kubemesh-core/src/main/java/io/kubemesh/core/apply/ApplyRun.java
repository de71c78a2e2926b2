package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.Phase;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValue;
import io.kubemesh.core.secret.SecretValues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One apply: parent first, then phase by phase (objects of a phase in parallel), then prune, then the parent again. */
final class ApplyRun {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyRun.class);
  static final String OP = "apply";

  private final ClusterOps ops;
  private final RequestCounter counter;
  private final MeshModel model;
  private final ApplySet set;
  private final Redactor redactor = new Redactor();
  private final Map<String, Optional<String>> bindingModes = new ConcurrentHashMap<>();

  ApplyRun(ClusterOps ops, RequestCounter counter, MeshModel model) {
    this.ops = ops;
    this.counter = counter;
    this.model = model;
    this.set = new ApplySet(model.name());
  }

  ApplyReport run() {
    long t0 = System.nanoTime();
    long requests0 = counter.count();
    ApplyOptions options = ops.options;
    List<Desired> desired = MeshApplier.desired(model, set, options, ops.serialization);
    ExecutorService pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
      Thread t = new Thread(r, "kubemesh-apply");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<String, HasMetadata> live;
      HasMetadata parentNow;
      try {
        ClusterOps.Inventory inventory = ops.inventory(set, desired, pool);
        HasMetadata parent = inventory.parent();
        Map<String, String> kinds = inventory.kinds();
        Set<String> namespaces = inventory.namespaces();
        live = inventory.live();
        // The parent vouches for old and new kinds and namespaces before any member changes (KEP-3659), so an
        // interrupted apply can still be pruned later.
        Set<String> liveNamespaces = new TreeSet<>(namespaces);
        live.values().forEach(l -> liveNamespaces.add(nz(l.getMetadata().getNamespace())));
        Secret wantedParent = set.parent(kinds.keySet(), liveNamespaces);
        ops.writeParent(parent, wantedParent);
        parentNow = ApplySet.same(parent, wantedParent) ? parent : wantedParent;
      } catch (KubemeshException e) {
        throw e;
      } catch (RuntimeException e) {
        throw KubemeshException.failed("apply of mesh '" + model.name() + "' failed before any object was applied: "
            + where() + Errors.describe(e), e);
      }

      List<ObjectResult> results = new ArrayList<>();
      Map<Phase, Duration> durations = new EnumMap<>(Phase.class);
      AtomicInteger done = new AtomicInteger();
      SecretValues values = recoverSecrets(desired, live);
      List<Phase> phases = Arrays.stream(Phase.values())
          .filter(phase -> desired.stream().anyMatch(d -> d.phase() == phase)).toList();
      int next = 0;
      while (next < phases.size()) {
        // Waiting for readiness needs phase after phase. Without waits only namespaces and CRDs must be in place
        // first; every later phase is submitted at once, in phase order, so the pool never idles between phases.
        List<Phase> batch = !options.waitForReady() && phases.get(next) != Phase.NAMESPACES_AND_CRDS
            ? phases.subList(next, phases.size()) : List.of(phases.get(next));
        next += batch.size();
        long p0 = System.nanoTime();
        Map<Phase, List<Future<ObjectResult>>> futures = new EnumMap<>(Phase.class);
        for (Phase phase : batch) {
          List<Desired> inPhase = desired.stream().filter(d -> d.phase() == phase).toList();
          options.listener().phaseStarted(OP, phase, inPhase.size());
          for (Desired d : inPhase) {
            futures.computeIfAbsent(phase, k -> new ArrayList<>()).add(pool.submit(() -> {
              ObjectResult r = applyOne(d, live.get(d.key()), values);
              done.incrementAndGet();
              options.listener().objectDone(OP, r);
              return r;
            }));
          }
        }
        Phase failedPhase = null;
        List<ObjectResult> failed = new ArrayList<>();
        for (Phase phase : batch) {
          List<ObjectResult> phaseResults = new ArrayList<>();
          for (Future<ObjectResult> f : futures.get(phase)) {
            phaseResults.add(get(f));
          }
          results.addAll(phaseResults);
          Duration took = Duration.ofNanos(System.nanoTime() - p0);
          durations.put(phase, took);
          options.listener().phaseDone(OP, phase, took, done.get(), desired.size());
          List<ObjectResult> phaseFailed =
              phaseResults.stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
          if (failedPhase == null && !phaseFailed.isEmpty()) {
            failedPhase = phase;
          }
          failed.addAll(phaseFailed);
        }
        if (failedPhase != null) {
          Set<String> handled = results.stream().map(ObjectResult::id).collect(Collectors.toSet());
          String why = "phase " + failedPhase.slug() + " failed";
          desired.stream().filter(d -> !handled.contains(d.result(Outcome.NOT_APPLIED, "", Duration.ZERO).id()))
              .forEach(d -> results.add(d.result(Outcome.NOT_APPLIED, why, Duration.ZERO)));
          throw failure(failedPhase, results, failed);
        }
      }

      try {
        long p0 = System.nanoTime();
        List<Pruner.Pruned> pruned = prune(desired, live);
        Set<String> kinds = new TreeSet<>(ClusterOps.apiVersions(desired).keySet());
        Set<String> namespaces = namespaces(desired);
        for (Pruner.Pruned p : pruned) {
          results.add(p.result());
          if (p.result().outcome() == Outcome.KEPT || p.result().outcome() == Outcome.FAILED) {
            kinds.add(ApplySet.groupKind(p.live()));
            namespaces.add(nz(p.live().getMetadata().getNamespace()));
          }
        }
        ops.writeParent(parentNow, set.parent(kinds, namespaces));
        if (!pruned.isEmpty()) {
          LOG.debug("pruned {} objects in {} ms", pruned.size(), (System.nanoTime() - p0) / 1_000_000);
        }
      } catch (RuntimeException e) {
        throw KubemeshException.failed("apply of mesh '" + model.name() + "': every object was applied, but pruning "
            + "objects it no longer declares failed: " + redactor.redact(where() + Errors.describe(e))
            + ". Applying again retries the prune.", e);
      }
      ApplyReport report = new ApplyReport(OP, model.name(), set.id(), results, durations,
          counter.count() - requests0, Duration.ofNanos(System.nanoTime() - t0));
      LOG.info("{}", report.summary());
      return report;
    } finally {
      pool.shutdownNow();
    }
  }

  private String where() {
    return "API server " + ops.client.getMasterUrl() + ": ";
  }

  private static ObjectResult get(Future<ObjectResult> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KubemeshException.failed("apply interrupted", e);
    } catch (ExecutionException e) {
      throw KubemeshException.failed("apply failed: " + Errors.describe(e.getCause()), e.getCause());
    }
  }

  private ObjectResult applyOne(Desired d, HasMetadata live, SecretValues values) {
    long t0 = System.nanoTime();
    try {
      HasMetadata applied;
      Outcome outcome;
      if (live != null && d.hash().equals(ApplySet.annotation(live, DesiredHash.ANNOTATION))) {
        applied = live;
        outcome = Outcome.UNCHANGED;
      } else {
        HasMetadata body = materialize(d, values);
        applied = ops.ssa(body, ops.options.forceConflicts(), false);
        outcome = live == null && ops.createdByUs(applied) ? Outcome.CREATED : Outcome.CONFIGURED;
      }
      String notReady = awaitReady(d, applied);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      if (notReady != null) {
        return d.result(Outcome.FAILED, redactor.redact(notReady), took);
      }
      LOG.debug("{} {}", d.source().id(), outcome);
      return d.result(outcome, "", took);
    } catch (RuntimeException e) {
      LOG.debug("{} failed: {}", d.source().id(), redactor.redact(Errors.describe(e)));
      return d.result(Outcome.FAILED, redactor.redact(Errors.describe(e)), Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  /** Null when ready (or nothing to wait for), else why not. */
  private String awaitReady(Desired d, HasMetadata applied) {
    HasMetadata o = d.object();
    if (!Readiness.hasCondition(o)) {
      return null;
    }
    boolean crd = "CustomResourceDefinition".equals(o.getKind());
    if (!ops.options.waitForReady() && !crd) {
      return null;
    }
    if (o instanceof PersistentVolumeClaim) {
      // The applied claim, not the desired one: the server fills in the default storage class.
      PersistentVolumeClaim claim = ops.serialization.convertValue(applied == null ? o : applied,
          PersistentVolumeClaim.class);
      boolean bound = claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
      if (bound || !bindsImmediately(claim)) {
        return null;
      }
    }
    Duration timeout = ops.options.readyTimeout(d.source().engine(), o.getKind(), d.source().namespace(),
        d.source().name());
    ClusterOps.Waited w = ops.waitReady(applied, timeout);
    if (w.state().ready()) {
      return null;
    }
    String why = w.live() == null ? "" : "; " + ops.diagnostics.explain(typed(w.live()));
    if (w.state().failed()) {
      return w.state().reason() + why;
    }
    return "not ready after " + human(timeout) + ": " + w.state().reason() + why;
  }

  private HasMetadata typed(HasMetadata live) {
    return ops.serialization.unmarshal(ops.serialization.asJson(live));
  }

  private boolean bindsImmediately(PersistentVolumeClaim pvc) {
    String cls = pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName();
    if (cls == null || cls.isEmpty()) {
      return false;
    }
    Optional<String> mode = bindingModes.computeIfAbsent(cls, c -> {
      StorageClass sc = ops.client.storage().v1().storageClasses().withName(c).get();
      return sc == null ? Optional.empty() : Optional.of(Optional.ofNullable(sc.getVolumeBindingMode()).orElse("Immediate"));
    });
    return mode.map("Immediate"::equals).orElse(false);
  }

  private static String human(Duration d) {
    return d.toSeconds() >= 60 && d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toMillis() / 1000.0 + "s";
  }

  // ------------------------------------------------------------------ secrets

  /**
   * Values of generated Secrets that already exist, so that they are kept. Secrets the mesh does not own yet (kept
   * by an earlier destroy, or made by hand) are read in parallel on {@code pool}.
   */
  private SecretValues recoverSecrets(List<Desired> desired, Map<String, HasMetadata> live) {
    SecretValues values = SecretValues.secure();
    List<HasMetadata> found = new ArrayList<>();
    List<Desired> missing = new ArrayList<>();
    for (Desired d : desired) {
      if (d.source().isGeneratedSecret()) {
        HasMetadata l = live.get(d.key());
        if (l != null) {
          found.add(l);
        } else {
          missing.add(d);
        }
      }
    }
    if (!missing.isEmpty()) {
      // Secrets the mesh made before but does not own now (kept by a destroy): one LIST by the mesh label, not
      // one GET per Secret.
      Map<String, Secret> kept;
      try {
        kept = ops.meshSecrets(model.name(),
            missing.stream().map(d -> d.source().namespace()).collect(Collectors.toCollection(TreeSet::new)));
      } catch (KubernetesClientException e) {
        throw KubemeshException.failed("apply of mesh '" + model.name() + "' failed before any object was "
            + "applied: could not read its existing Secrets to keep their generated values: " + where()
            + Errors.describe(e), e);
      }
      missing.forEach(d -> found.add(kept.get(d.source().namespace() + "/" + d.source().name())));
    }
    for (HasMetadata l : found) {
      ClusterOps.recoverValues(l, ops.serialization).forEach((id, value) -> {
        if (!values.knows(id)) {
          values.remember(id, value);
        }
      });
    }
    return values;
  }

  private HasMetadata materialize(Desired d, SecretValues values) {
    if (!d.source().isGeneratedSecret()) {
      return d.object();
    }
    Secret resolved = Rendering.resolve(d.source(), d.source().generatedSecret().get(), values);
    Secret body = (Secret) ops.serialization.clone(d.object());
    body.setData(resolved.getData());
    // Literal keys (user names) are not secret and name things in messages; generated and derived values are.
    d.source().generatedSecret().get().data().forEach((key, recipe) -> {
      if (!(recipe instanceof SecretValue.Literal literal) || literal.sensitive()) {
        redactor.add(new String(Base64.getDecoder().decode(resolved.getData().get(key)), StandardCharsets.UTF_8));
      }
    });
    return body;
  }

  // ------------------------------------------------------------------ prune

  private List<Pruner.Pruned> prune(List<Desired> desired, Map<String, HasMetadata> live) {
    Set<String> wanted = desired.stream().map(Desired::key).collect(Collectors.toCollection(HashSet::new));
    List<HasMetadata> stale = live.entrySet().stream().filter(e -> !wanted.contains(e.getKey()))
        .map(Map.Entry::getValue).sorted(Comparator.comparing((HasMetadata h) -> Phase.of(h)).reversed()).toList();
    return new Pruner(ops, set, "prune", DestroyOptions.keepData()).delete(stale);
  }

  private static Set<String> namespaces(List<Desired> desired) {
    return desired.stream().map(d -> d.source().namespace()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private KubemeshException failure(Phase phase, List<ObjectResult> results, List<ObjectResult> failed) {
    Map<Outcome, List<String>> by = new LinkedHashMap<>();
    for (ObjectResult r : results) {
      by.computeIfAbsent(r.outcome(), k -> new ArrayList<>()).add(r.id());
    }
    List<String> applied = new ArrayList<>();
    for (Outcome o : List.of(Outcome.CREATED, Outcome.CONFIGURED, Outcome.UNCHANGED)) {
      applied.addAll(by.getOrDefault(o, List.of()));
    }
    List<String> notApplied = by.getOrDefault(Outcome.NOT_APPLIED, List.of());
    boolean down = failed.stream().anyMatch(f -> f.detail().contains("unreachable"));
    StringBuilder sb = new StringBuilder("apply of mesh '").append(model.name()).append("' failed in phase ")
        .append(phase.fileName().replace(".yaml", "")).append(down ? " (" + where() + "connection lost)" : "")
        .append(":\n");
    failed.forEach(f -> sb.append("  failed: ").append(f.id()).append(": ").append(f.detail()).append('\n'));
    sb.append("  applied (").append(applied.size()).append("): ").append(list(applied)).append('\n');
    sb.append("  not applied (").append(notApplied.size()).append("): ").append(list(notApplied)).append('\n');
    sb.append("  nothing was pruned. Applying again once the cause is fixed converges: unchanged objects are "
        + "skipped, generated Secrets keep their values.");
    return KubemeshException.failed(redactor.redact(sb.toString()), null);
  }

  private static String list(List<String> ids) {
    if (ids.isEmpty()) {
      return "none";
    }
    int max = 40;
    return ids.size() <= max ? String.join(", ", ids)
        : String.join(", ", ids.subList(0, max)) + ", ... and " + (ids.size() - max) + " more";
  }
}
