package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.core.output.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deletes ApplySet members in reverse phase order, waiting for each phase's objects to go, and keeps what must be
 * kept: retained data, CRDs, and namespaces that still hold kept objects or objects kubemesh does not own. Shared by
 * prune (after an apply) and destroy.
 */
final class Pruner {
  /** One member and what happened to it. */
  record Pruned(ObjectResult result, HasMetadata live) {}

  private final ClusterOps ops;
  private final ApplySet set;
  private final String operation;
  private final DestroyOptions purge;
  private final Map<Phase, Duration> durations = new EnumMap<>(Phase.class);

  Pruner(ClusterOps ops, ApplySet set, String operation, DestroyOptions purge) {
    this.ops = ops;
    this.set = set;
    this.operation = operation;
    this.purge = purge;
  }

  Map<Phase, Duration> durations() {
    return durations;
  }

  /** Calls the listener per phase when {@code total} is positive. */
  List<Pruned> delete(List<HasMetadata> members) {
    Outcome deleted = "destroy".equals(operation) ? Outcome.DELETED : Outcome.PRUNED;
    Map<Phase, List<HasMetadata>> byPhase = new TreeMap<>(java.util.Comparator.reverseOrder());
    for (HasMetadata m : members) {
      byPhase.computeIfAbsent(Phase.of(m), p -> new ArrayList<>()).add(m);
    }
    List<Pruned> out = new ArrayList<>();
    List<HasMetadata> kept = new ArrayList<>();
    int done = 0;
    for (Map.Entry<Phase, List<HasMetadata>> e : byPhase.entrySet()) {
      long t0 = System.nanoTime();
      ops.options.listener().phaseStarted(operation, e.getKey(), e.getValue().size());
      List<HasMetadata> toDelete = new ArrayList<>();
      List<HasMetadata> namespaces = new ArrayList<>();
      for (HasMetadata m : e.getValue()) {
        String keep = null;
        if ("CustomResourceDefinition".equals(m.getKind()) && !purge.purgeCrds()) {
          keep = "deleting a CustomResourceDefinition deletes every custom resource of its kind in the cluster; "
              + "destroy with DestroyOptions.purge() to delete it";
        } else if (ClusterOps.retained(m) && !purge.purgeData()) {
          keep = ClusterOps.RETAIN_ANNOTATION + "=true: data is kept; destroy with DestroyOptions.purge() to delete it";
        }
        if (keep != null) {
          kept.add(m);
          out.add(new Pruned(result(m, Outcome.KEPT, keep), m));
        } else if ("Namespace".equals(m.getKind())) {
          namespaces.add(m);
        } else {
          toDelete.add(m);
        }
      }
      for (HasMetadata ns : namespaces) {
        String name = ns.getMetadata().getName();
        List<String> keptHere = kept.stream().filter(k -> name.equals(k.getMetadata().getNamespace()))
            .map(k -> k.getKind() + " " + k.getMetadata().getName()).toList();
        List<String> foreign = keptHere.isEmpty() ? ops.foreignObjects(name, set) : List.of();
        if (!keptHere.isEmpty()) {
          out.add(new Pruned(result(ns, Outcome.KEPT, "holds kept objects: " + String.join(", ", keptHere)), ns));
        } else if (!foreign.isEmpty()) {
          out.add(new Pruned(result(ns, Outcome.KEPT, "holds objects kubemesh does not own: "
              + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
              + (foreign.size() > 5 ? ", ..." : "")), ns));
        } else {
          toDelete.add(ns);
        }
      }
      List<HasMetadata> left = ops.deleteAndWait(toDelete);
      for (HasMetadata m : toDelete) {
        boolean still = left.stream().anyMatch(l -> Desired.key(l).equals(Desired.key(m)));
        out.add(new Pruned(still ? result(m, Outcome.FAILED, "still there " + ops.options.deleteTimeout().toSeconds()
            + "s after it was deleted (finalizers?)") : result(m, deleted, ""), m));
      }
      done += e.getValue().size();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      durations.put(e.getKey(), took);
      ops.options.listener().phaseDone(operation, e.getKey(), took, done, members.size());
    }
    out.forEach(p -> ops.options.listener().objectDone(operation, p.result()));
    return out;
  }

  private static ObjectResult result(HasMetadata m, Outcome outcome, String detail) {
    String ns = m.getMetadata().getNamespace();
    return new ObjectResult(Phase.of(m), m.getKind(), ns == null ? "" : ns, m.getMetadata().getName(), outcome,
        detail, Duration.ZERO);
  }
}
