package io.kubemesh.samples;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemesh.Mesh;
import io.kubemesh.core.apply.ApplyReport;
import io.kubemesh.core.apply.MeshApplier;
import io.kubemesh.core.apply.Plan;
import io.kubemesh.testing.LocalControlPlane;

/**
 * The main job: builds the sample mesh, renders it to a directory, starts a local Kubernetes control plane (built
 * by {@code tools/control-plane/build.sh}, with its default StorageClass and fake volume provisioner so that the
 * mesh's volume claims bind), plans and applies the mesh, waits until it is ready, and re-applies to show that
 * nothing changes. The control plane is stopped at the end.
 *
 * <pre>{@code
 * RunSample.main(new String[] {"target/deploy"});
 * }</pre>
 */
public final class RunSample {
  private RunSample() {}

  public static void main(String[] args) {
    Mesh mesh = RenderSample.render(args).mesh();

    System.out.println("\nstarting a local control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)");
    try (LocalControlPlane cluster = LocalControlPlane.builder().start()) {
      System.out.println("  " + cluster.serverVersion() + " at " + cluster.apiServerUrl() + ", started in "
          + cluster.startupTime().toMillis() + " ms");
      KubernetesClient client = cluster.client();
      ApplyReport first;
      ApplyReport again;
      try (MeshApplier applier = MeshApplier.on(client)) {
        Plan plan = applier.plan(mesh);
        System.out.println("\nplan:\n" + plan.summary());

        first = applier.apply(mesh);
        System.out.println("\napply:\n" + first.summary());

        again = applier.apply(mesh);
        System.out.println("\nre-apply (nothing changed):\n" + again.summary());
      }

      var pods = client.pods().inAnyNamespace().withLabel("kubemesh.io/mesh", mesh.name()).list().getItems();
      long running = pods.stream().filter(p -> "Running".equals(p.getStatus().getPhase())).count();
      long completed = pods.stream().filter(p -> "Succeeded".equals(p.getStatus().getPhase())).count();
      var claims = client.persistentVolumeClaims().inAnyNamespace().withLabel("kubemesh.io/mesh", mesh.name()).list()
          .getItems();
      long bound = claims.stream().filter(c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()))
          .count();
      System.out.println("\n" + running + " pods of mesh " + mesh.name() + " running and " + completed
          + " setup Job pods completed on kwok's fake nodes (nothing really runs in them); " + bound + " of "
          + claims.size() + " volume claims bound (the local control plane's fake provisioner: empty volumes)");
      if (!first.succeeded() || !again.succeeded()) {
        throw new IllegalStateException("the sample mesh did not apply cleanly");
      }
    }
  }
}
