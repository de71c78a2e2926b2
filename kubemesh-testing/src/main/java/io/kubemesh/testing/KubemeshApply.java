package io.kubemesh.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Small apply helper for tests of plain objects; meshes go through kubemesh-core's {@code MeshApplier}.
 *
 * <pre>{@code
 * KubemeshApply.serverSideApply(client, List.of(deployment));   // waits until it is Available
 * }</pre>
 */
public final class KubemeshApply {

  public static final String FIELD_MANAGER = "kubemesh";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private KubemeshApply() {
  }

  /**
   * Applies the objects server-side, in order, with field manager {@value #FIELD_MANAGER} (forcing
   * conflicts), then waits until every Deployment among them is Available.
   *
   * @return the objects as the server returned them
   */
  public static List<HasMetadata> serverSideApply(KubernetesClient client, List<? extends HasMetadata> objects) {
    return serverSideApply(client, objects, DEFAULT_TIMEOUT);
  }

  public static List<HasMetadata> serverSideApply(KubernetesClient client, List<? extends HasMetadata> objects,
      Duration timeout) {
    List<HasMetadata> applied = new ArrayList<>();
    for (HasMetadata o : objects) {
      applied.add(client.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
    }
    for (HasMetadata o : applied) {
      if (o instanceof Deployment d) {
        client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
            .waitUntilCondition(KubemeshApply::isAvailable, timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return applied;
  }

  /** Whether the Deployment has condition Available=True for its current generation. */
  public static boolean isAvailable(Deployment d) {
    if (d == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
      return false;
    }
    Long observed = d.getStatus().getObservedGeneration();
    if (observed == null || observed < d.getMetadata().getGeneration()) {
      return false;
    }
    return d.getStatus().getConditions().stream()
        .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
