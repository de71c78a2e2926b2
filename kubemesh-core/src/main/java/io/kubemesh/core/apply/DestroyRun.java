package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.Phase;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One destroy: every member of the mesh's ApplySet, in reverse phase order, then the parent unless something was kept. */
final class DestroyRun {
  private static final Logger LOG = LoggerFactory.getLogger(DestroyRun.class);
  static final String OP = "destroy";

  private final ClusterOps ops;
  private final RequestCounter counter;
  private final MeshModel model;
  private final DestroyOptions purge;
  private final ApplySet set;

  DestroyRun(ClusterOps ops, RequestCounter counter, MeshModel model, DestroyOptions purge) {
    this.ops = ops;
    this.counter = counter;
    this.model = model;
    this.purge = purge;
    this.set = new ApplySet(model.name());
  }

  ApplyReport run() {
    long t0 = System.nanoTime();
    long requests0 = counter.count();
    try {
      List<Desired> desired = MeshApplier.desired(model, set, ops.options, ops.serialization);
      ClusterOps.Inventory inventory = ops.inventory(set, desired, Runnable::run);
      HasMetadata parent = inventory.parent();
      Map<String, HasMetadata> live = inventory.live();
      List<HasMetadata> members = live.values().stream()
          .sorted(Comparator.comparing((HasMetadata h) -> Phase.of(h)).reversed()
              .thenComparing(h -> h.getKind() + "/" + h.getMetadata().getNamespace() + "/" + h.getMetadata().getName()))
          .toList();
      Pruner pruner = new Pruner(ops, set, OP, purge);
      List<Pruner.Pruned> done = pruner.delete(members);
      Set<String> keptKinds = new TreeSet<>();
      Set<String> keptNamespaces = new TreeSet<>();
      for (Pruner.Pruned p : done) {
        if (p.result().outcome() == Outcome.KEPT || p.result().outcome() == Outcome.FAILED) {
          keptKinds.add(ApplySet.groupKind(p.live()));
          keptNamespaces.add(p.result().namespace());
        }
      }
      if (keptKinds.isEmpty()) {
        if (parent != null) {
          ops.deleteAndWait(List.of(parent));
        }
      } else {
        ops.writeParent(parent, set.parent(keptKinds, keptNamespaces));
      }
      ApplyReport report = new ApplyReport(OP, model.name(), set.id(), done.stream().map(Pruner.Pruned::result)
          .toList(), pruner.durations(), counter.count() - requests0, Duration.ofNanos(System.nanoTime() - t0));
      LOG.info("{}", report.summary());
      return report;
    } catch (KubemeshException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KubemeshException.failed("destroy of mesh '" + model.name() + "' failed: API server "
          + ops.client.getMasterUrl() + ": " + Errors.describe(e) + ". Destroying again continues where it stopped.",
          e);
    }
  }
}
