package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.KubemeshException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cluster calls apply, plan and destroy share: listing an ApplySet's members, applying, waiting, deleting. */
final class ClusterOps {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterOps.class);
  static final String RETAIN_ANNOTATION = io.kubemesh.core.model.MeshMetadata.RETAIN_ANNOTATION;
  /** Written by the core on generated-Secret placeholders: {@code KEY=value-id,...}. */
  static final String SECRET_VALUES_ANNOTATION = io.kubemesh.core.model.MeshMetadata.SECRET_VALUES_ANNOTATION;

  final KubernetesClient client;
  final KubernetesSerialization serialization;
  final ApplyOptions options;
  final Readiness readiness;
  final Diagnostics diagnostics;
  private final Map<String, String> discoveredVersions = new ConcurrentHashMap<>();

  ClusterOps(KubernetesClient client, ApplyOptions options) {
    this.client = client;
    this.serialization = client.getKubernetesSerialization();
    this.options = options;
    this.readiness = new Readiness(serialization);
    this.diagnostics = new Diagnostics(client);
  }

  // ------------------------------------------------------------------ ApplySet parent

  HasMetadata getParent(ApplySet set) {
    Secret parent = client.secrets().inNamespace(ApplySet.PARENT_NAMESPACE).withName(set.parentName()).get();
    if (parent != null) {
      String tooling = ApplySet.annotation(parent, ApplySet.TOOLING);
      if (tooling != null && !tooling.startsWith("kubemesh/")) {
        throw KubemeshException.failed("Secret " + ApplySet.PARENT_NAMESPACE + "/" + set.parentName()
            + " is the ApplySet parent of another tool (" + ApplySet.TOOLING + "=" + tooling
            + "); kubemesh will not take it over", null);
      }
    }
    return parent;
  }

  /** Writes the parent if it says something else than {@code wanted}; creates its namespace when needed. */
  void writeParent(HasMetadata live, Secret wanted) {
    if (ApplySet.same(live, wanted)) {
      return;
    }
    if (live == null) {
      Namespace ns = new NamespaceBuilder().withNewMetadata().withName(ApplySet.PARENT_NAMESPACE)
          .addToLabels("app.kubernetes.io/managed-by", "kubemesh").endMetadata().build();
      ssa(ns, false, false);
    }
    ssa(wanted, false, false);
  }

  // ------------------------------------------------------------------ members

  /**
   * Every live member of the set, by {@link Desired#key}: one LIST per kind across namespaces, or, when the caller
   * may not list cluster-wide, one per kind and namespace.
   */
  /**
   * A set's parent and its live members. Kinds and namespaces to look in are the desired state's plus what the parent
   * remembers, so members the mesh no longer declares are found too.
   */
  record Inventory(HasMetadata parent, Map<String, String> kinds, Set<String> namespaces,
      Map<String, HasMetadata> live) {}

  Inventory inventory(ApplySet set, List<Desired> desired, Executor executor) {
    HasMetadata parent = getParent(set);
    Map<String, String> kinds = apiVersions(desired);
    Set<String> namespaces = desired.stream().map(d -> d.source().namespace())
        .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    if (parent != null) {
      ApplySet.groupKinds(parent).forEach(gk -> kinds.putIfAbsent(gk, null));
      namespaces.addAll(ApplySet.namespaces(parent));
    }
    return new Inventory(parent, kinds, namespaces, members(set, kinds, namespaces, executor));
  }

  /** The live members of {@code set}: one LIST per kind (per namespace where listing everywhere is forbidden). */
  Map<String, HasMetadata> members(
      ApplySet set, Map<String, String> apiVersionByGroupKind, Set<String> namespaces, Executor executor) {
    Map<String, HasMetadata> out = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> lists = new ArrayList<>();
    for (Map.Entry<String, String> gk : new java.util.TreeMap<>(apiVersionByGroupKind).entrySet()) {
      lists.add(CompletableFuture.runAsync(() -> listMembers(set, gk.getKey(), gk.getValue(), namespaces, out),
          executor));
    }
    try {
      CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
    return out;
  }

  private void listMembers(ApplySet set, String groupKind, String knownApiVersion, Set<String> namespaces,
      Map<String, HasMetadata> out) {
    String apiVersion = knownApiVersion != null ? knownApiVersion : discoverApiVersion(groupKind);
    if (apiVersion == null) {
      LOG.debug("kind {} is not served (any more); no members of it", groupKind);
      return;
    }
    String kind = groupKind.contains(".") ? groupKind.substring(0, groupKind.indexOf('.')) : groupKind;
    List<GenericKubernetesResource> items;
    try {
      items = client.genericKubernetesResources(apiVersion, kind).inAnyNamespace()
          .withLabel(ApplySet.PART_OF, set.id()).list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || isUnknownKind(e)) {
        return;
      }
      if (e.getCode() != 403) {
        throw e;
      }
      items = new ArrayList<>();
      for (String ns : new TreeSet<>(namespaces)) {
        if (ns.isEmpty()) {
          continue;
        }
        items.addAll(client.genericKubernetesResources(apiVersion, kind).inNamespace(ns)
            .withLabel(ApplySet.PART_OF, set.id()).list().getItems());
      }
    }
    for (GenericKubernetesResource r : items) {
      if (set.id().equals(label(r, ApplySet.PART_OF))) {
        out.put(Desired.key(r), r);
      }
    }
  }

  /**
   * Secrets labelled as the mesh's, by {@code namespace/name}: one LIST everywhere, or one per namespace in
   * {@code namespaces} where listing everywhere is forbidden.
   */
  Map<String, Secret> meshSecrets(String mesh, Set<String> namespaces) {
    List<Secret> items;
    try {
      items = client.secrets().inAnyNamespace().withLabel(MeshApplier.MESH_LABEL, mesh).list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      items = new ArrayList<>();
      for (String ns : new TreeSet<>(namespaces)) {
        items.addAll(client.secrets().inNamespace(ns).withLabel(MeshApplier.MESH_LABEL, mesh).list().getItems());
      }
    }
    Map<String, Secret> out = new java.util.HashMap<>();
    items.forEach(i -> out.put(i.getMetadata().getNamespace() + "/" + i.getMetadata().getName(), i));
    return out;
  }

  private static boolean isUnknownKind(KubernetesClientException e) {
    return e.getCode() <= 0 && e.getMessage() != null && e.getMessage().contains("not find the metadata");
  }

  /** The preferred version of a group kind the set lists but the mesh no longer declares. */
  private String discoverApiVersion(String groupKind) {
    int dot = groupKind.indexOf('.');
    if (dot < 0) {
      return "v1";
    }
    String group = groupKind.substring(dot + 1);
    return discoveredVersions.computeIfAbsent(group, g -> {
      APIGroup api = client.getApiGroup(g);
      return api == null || api.getPreferredVersion() == null ? null : api.getPreferredVersion().getGroupVersion();
    });
  }

  static String label(HasMetadata o, String key) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? null : l.get(key);
  }

  static boolean retained(HasMetadata o) {
    return "true".equals(ApplySet.annotation(o, RETAIN_ANNOTATION));
  }

  // ------------------------------------------------------------------ writes

  HasMetadata ssa(HasMetadata body, boolean force, boolean dryRun) {
    PatchContext.Builder ctx = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(options.fieldManager()).withForce(force);
    if (dryRun) {
      ctx.withDryRun(List.of("All"));
    }
    return client.resource(body).patch(ctx.build());
  }

  /** Whether an object another manager touched before us existed before this apply. */
  boolean createdByUs(HasMetadata applied) {
    List<ManagedFieldsEntry> mf = applied.getMetadata().getManagedFields();
    return mf == null || mf.stream().allMatch(e -> options.fieldManager().equals(e.getManager())
        || e.getSubresource() != null);
  }

  /** The values of generated Secrets found in the cluster, by value id. */
  static Map<String, String> recoverValues(HasMetadata liveSecret, KubernetesSerialization serialization) {
    Map<String, String> out = new LinkedHashMap<>();
    if (liveSecret == null) {
      return out;
    }
    Secret s = liveSecret instanceof Secret sec ? sec : serialization.convertValue(liveSecret, Secret.class);
    String ids = ApplySet.annotation(s, SECRET_VALUES_ANNOTATION);
    if (ids == null || s.getData() == null) {
      return out;
    }
    for (String pair : ids.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = pair.substring(0, eq).trim();
      String id = pair.substring(eq + 1).trim();
      String b64 = s.getData().get(key);
      if (b64 != null && !id.isEmpty()) {
        out.put(id, new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ waiting

  /** Polls until ready, failed or timed out; returns the last state and the object as last seen. */
  record Waited(Readiness.State state, HasMetadata live, boolean timedOut) {}

  Waited waitReady(HasMetadata applied, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long sleep = 100;
    HasMetadata live = applied;
    Readiness.State state = readiness.check(live);
    while (!state.ready() && !state.failed()) {
      if (System.nanoTime() > deadline) {
        return new Waited(state, live, true);
      }
      sleep(sleep);
      sleep = Math.min(sleep * 2, 1000);
      live = client.resource(applied).get();
      state = readiness.check(live);
    }
    return new Waited(state, live, false);
  }

  /** Deletes and waits until the objects are gone; returns the ones still there at the deadline. */
  List<HasMetadata> deleteAndWait(List<HasMetadata> objects) {
    for (HasMetadata o : objects) {
      try {
        client.resource(o).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
            .delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    long deadline = System.nanoTime() + options.deleteTimeout().toNanos();
    List<HasMetadata> left = new ArrayList<>(objects);
    long sleep = 100;
    while (!left.isEmpty()) {
      left.removeIf(o -> client.resource(o).get() == null);
      if (left.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      sleep(sleep);
      sleep = Math.min(sleep * 2, 1000);
    }
    return left;
  }

  /**
   * Objects in {@code namespace} that the set does not own, among the kinds people usually put there by hand.
   * Children (objects with owner references) and what Kubernetes creates in every namespace are not counted.
   */
  List<String> foreignObjects(String namespace, ApplySet set) {
    List<String> foreign = new ArrayList<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    kinds.put("v1", "ConfigMap,Secret,PersistentVolumeClaim,Service,ServiceAccount,Pod");
    kinds.put("apps/v1", "Deployment,StatefulSet,DaemonSet");
    kinds.put("batch/v1", "Job,CronJob");
    kinds.put("rbac.authorization.k8s.io/v1", "Role,RoleBinding");
    for (Map.Entry<String, String> e : kinds.entrySet()) {
      for (String kind : e.getValue().split(",")) {
        List<GenericKubernetesResource> items;
        try {
          items = client.genericKubernetesResources(e.getKey(), kind).inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException ex) {
          if (ex.getCode() == 404) {
            return List.of();
          }
          throw ex;
        }
        for (GenericKubernetesResource r : items) {
          var meta = r.getMetadata();
          boolean ours = set.id().equals(label(r, ApplySet.PART_OF));
          boolean child = meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty();
          boolean builtIn = ("ConfigMap".equals(kind) && "kube-root-ca.crt".equals(meta.getName()))
              || ("ServiceAccount".equals(kind) && "default".equals(meta.getName()))
              || ("Secret".equals(kind) && Objects.equals("kubernetes.io/service-account-token",
                  r.getAdditionalProperties().get("type")));
          if (!ours && !child && !builtIn && meta.getDeletionTimestamp() == null) {
            foreign.add(kind + " " + meta.getName());
          }
        }
      }
    }
    return foreign;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KubemeshException.failed("interrupted", e);
    }
  }

  static Map<String, String> apiVersions(List<Desired> desired) {
    Map<String, String> m = new HashMap<>();
    desired.forEach(d -> m.putIfAbsent(d.groupKind(), d.object().getApiVersion()));
    return m;
  }
}
