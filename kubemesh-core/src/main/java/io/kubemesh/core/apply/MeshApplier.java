package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.ref.Cleaner;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.model.MeshSource;
import io.kubemesh.core.output.MeshObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gets a mesh onto a cluster and off it again: server-side apply phase by phase with readiness waits, a plan that
 * changes nothing, prune of what the mesh no longer declares, and a destroy that keeps data unless told.
 *
 * <p>Ownership follows KEP-3659 (ApplySet): every object carries {@code applyset.kubernetes.io/part-of=<id>}, and a
 * parent Secret {@code kubemesh-system/kubemesh-<mesh>} lists the kinds and namespaces they live in. Only objects
 * with the mesh's id are ever pruned or destroyed; anything else in a domain namespace, however it is labelled, is
 * left alone.
 *
 * <p>The applier sends its requests through a client of its own, made from the caller's configuration and
 * credentials, with an interceptor that counts requests for {@link ApplyReport#requests()}. One applier runs one
 * operation at a time; close it when done.
 *
 * <pre>{@code
 * try (KubernetesClient client = new KubernetesClientBuilder().build();
 *     MeshApplier applier = MeshApplier.on(client)) {
 *   Plan plan = applier.plan(mesh);
 *   ApplyReport report = applier.apply(mesh);
 *   applier.destroy(mesh);                         // keeps PVCs, generated Secrets and CRDs
 * }
 * }</pre>
 */
public final class MeshApplier implements AutoCloseable {
  static final String MESH_LABEL = io.kubemesh.core.model.MeshMetadata.MESH_LABEL;

  private final KubernetesClient client;
  private final RequestCounter counter;
  private final ApplyOptions options;
  private final ClusterOps ops;

  // One-shot use, MeshApplier.on(client).apply(mesh), is common: if nobody closes the applier, its client is
  // closed once the applier is unreachable, so connections and event-loop threads do not pile up.
  private static final Cleaner CLEANER = Cleaner.create();

  private final Cleaner.Cleanable cleanable;

  private MeshApplier(KubernetesClient client, RequestCounter counter, ApplyOptions options) {
    this.client = client;
    this.counter = counter;
    this.options = options;
    this.ops = new ClusterOps(client, options);
    this.cleanable = CLEANER.register(this, client::close);
  }

  /** An applier with {@link ApplyOptions#defaults()}. */
  public static MeshApplier on(KubernetesClient client) {
    return on(client, ApplyOptions.defaults());
  }

  /**
   * An applier that talks to the cluster of {@code client}, with its configuration and credentials, over
   * connections of its own; close it when done. The caller keeps owning {@code client}.
   */
  public static MeshApplier on(KubernetesClient client, ApplyOptions options) {
    if (client == null) {
      throw KubemeshException.invalid("client", null, "a KubernetesClient is required (new KubernetesClientBuilder().build())");
    }
    if (options == null) {
      throw KubemeshException.invalid("options", null, "ApplyOptions are required; use ApplyOptions.defaults()");
    }
    RequestCounter counter = new RequestCounter();
    // A client of its own, from the caller's configuration: it counts requests, and closing it never touches the
    // caller's client (clients derived from one another share an event loop that the first close() stops).
    KubernetesClient counting = new KubernetesClientBuilder()
        .withConfig(client.getConfiguration())
        .withKubernetesSerialization(client.getKubernetesSerialization())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(RequestCounter.NAME, counter))
        .build();
    return new MeshApplier(counting, counter, options);
  }

  /** Applies the mesh and waits until it is ready; prunes what it applied before and no longer declares. */
  public synchronized ApplyReport apply(MeshSource mesh) {
    return new ApplyRun(ops, counter, model(mesh)).run();
  }

  /** What {@link #apply} would do, without changing anything. */
  public synchronized Plan plan(MeshSource mesh) {
    return new PlanRun(ops, counter, model(mesh)).run();
  }

  /** Deletes what the mesh owns, keeping data (retained PVCs and Secrets), CRDs and namespaces that hold them. */
  public ApplyReport destroy(MeshSource mesh) {
    return destroy(mesh, DestroyOptions.keepData());
  }

  /** Deletes what the mesh owns, data too when {@code purge} says so. */
  public synchronized ApplyReport destroy(MeshSource mesh, DestroyOptions purge) {
    if (purge == null) {
      throw KubemeshException.invalid("purge", null, "DestroyOptions are required; use DestroyOptions.keepData()");
    }
    return new DestroyRun(ops, counter, model(mesh), purge).run();
  }

  /** Requests this applier has sent so far. */
  public long requests() {
    return counter.count();
  }

  /** Releases the connections this applier opened; the caller's client stays open. */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** The ApplySet id of a mesh, the value of {@code applyset.kubernetes.io/part-of} on its objects. */
  public static String applySetId(String meshName) {
    return new ApplySet(meshName).id();
  }

  private static MeshModel model(MeshSource mesh) {
    if (mesh == null) {
      throw KubemeshException.invalid("mesh", null, "a mesh is required");
    }
    return mesh.model();
  }

  /** The mesh's objects as the applier sends them: ApplySet label and desired hash added, Secret values not yet. */
  static List<Desired> desired(MeshModel model, ApplySet set, ApplyOptions options, KubernetesSerialization ser) {
    List<Desired> out = new ArrayList<>();
    for (MeshObject mo : model.output().objects()) {
      HasMetadata copy = ser.clone(mo.object());
      Map<String, String> labels = copy.getMetadata().getLabels() == null ? new HashMap<>()
          : new java.util.TreeMap<>(copy.getMetadata().getLabels());
      labels.put(ApplySet.PART_OF, set.id());
      copy.getMetadata().setLabels(labels);
      String hash = DesiredHash.of(copy, mo.generatedSecret().orElse(null), options.fieldManager(), ser);
      Map<String, String> annotations = copy.getMetadata().getAnnotations() == null ? new java.util.TreeMap<>()
          : new java.util.TreeMap<>(copy.getMetadata().getAnnotations());
      annotations.put(DesiredHash.ANNOTATION, hash);
      copy.getMetadata().setAnnotations(annotations);
      out.add(new Desired(mo, copy, hash));
    }
    return out;
  }

  KubernetesClient client() {
    return client;
  }
}
