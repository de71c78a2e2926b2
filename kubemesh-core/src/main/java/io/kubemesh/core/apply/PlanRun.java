package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.Phase;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One plan: reads the ApplySet, then for every object that may have changed, a server-side dry-run apply compared
 * with the live object. Changes nothing.
 */
final class PlanRun {
  private static final Set<String> IGNORED_METADATA =
      Set.of("managedFields", "resourceVersion", "generation", "uid", "creationTimestamp");
  private static final int MAX_VALUE = 60;

  private final ClusterOps ops;
  private final RequestCounter counter;
  private final MeshModel model;
  private final ApplySet set;

  PlanRun(ClusterOps ops, RequestCounter counter, MeshModel model) {
    this.ops = ops;
    this.counter = counter;
    this.model = model;
    this.set = new ApplySet(model.name());
  }

  Plan run() {
    long requests0 = counter.count();
    try {
      List<Desired> desired = MeshApplier.desired(model, set, ops.options, ops.serialization);
      ClusterOps.Inventory inventory = ops.inventory(set, desired, Runnable::run);
      Map<String, HasMetadata> live = inventory.live();
      SecretValues values = SecretValues.secure();
      live.values().forEach(l -> ClusterOps.recoverValues(l, ops.serialization).forEach(values::remember));

      List<Plan.Change> created = new ArrayList<>();
      List<Plan.Change> changed = new ArrayList<>();
      List<Plan.Change> unchanged = new ArrayList<>();
      Set<String> createdNamespaces = new HashSet<>();
      for (Desired d : desired) {
        String id = d.source().kind() + " " + (d.source().namespace().isEmpty() ? "" : d.source().namespace() + "/")
            + d.source().name();
        HasMetadata l = live.get(d.key());
        if (l != null && d.hash().equals(ApplySet.annotation(l, DesiredHash.ANNOTATION))) {
          unchanged.add(new Plan.Change(id, List.of()));
          continue;
        }
        if (l == null && !createdNamespaces.contains(d.source().namespace())) {
          l = get(d.object());
        }
        if (l == null) {
          created.add(new Plan.Change(id, List.of()));
          if ("Namespace".equals(d.source().kind())) {
            createdNamespaces.add(d.source().name());
          }
          continue;
        }
        HasMetadata body = d.object();
        if (d.source().isGeneratedSecret()) {
          ClusterOps.recoverValues(l, ops.serialization).forEach((k, v) -> {
            if (!values.knows(k)) {
              values.remember(k, v);
            }
          });
          Secret s = (Secret) ops.serialization.clone(d.object());
          s.setData(Rendering.resolve(d.source(), d.source().generatedSecret().get(), values).getData());
          body = s;
        }
        List<String> fields;
        try {
          HasMetadata dry = ops.ssa(body, ops.options.forceConflicts(), true);
          fields = diff(l, dry, "Secret".equals(d.source().kind()));
        } catch (KubernetesClientException e) {
          fields = List.of("would fail: " + Errors.describe(e));
        }
        (fields.isEmpty() ? unchanged : changed).add(new Plan.Change(id, fields));
      }

      Set<String> wanted = desired.stream().map(Desired::key).collect(Collectors.toSet());
      List<Plan.Change> pruned = new ArrayList<>();
      List<Plan.Change> kept = new ArrayList<>();
      live.entrySet().stream().filter(e -> !wanted.contains(e.getKey())).map(Map.Entry::getValue)
          .sorted(Comparator.comparing((HasMetadata h) -> Phase.of(h)).reversed())
          .forEach(m -> {
            String ns = m.getMetadata().getNamespace();
            String id = m.getKind() + " " + (ns == null || ns.isEmpty() ? "" : ns + "/") + m.getMetadata().getName();
            if (ClusterOps.retained(m)) {
              kept.add(new Plan.Change(id, List.of(ClusterOps.RETAIN_ANNOTATION + "=true")));
            } else if ("CustomResourceDefinition".equals(m.getKind())) {
              kept.add(new Plan.Change(id, List.of("CRDs are only deleted by destroy with purge")));
            } else {
              pruned.add(new Plan.Change(id, List.of()));
            }
          });
      return new Plan(model.name(), created, changed, unchanged, pruned, kept, counter.count() - requests0);
    } catch (KubemeshException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KubemeshException.failed("plan of mesh '" + model.name() + "' failed: API server "
          + ops.client.getMasterUrl() + ": " + Errors.describe(e), e);
    }
  }

  private HasMetadata get(HasMetadata o) {
    try {
      return ops.client.resource(o).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() <= 0 && String.valueOf(e.getMessage()).contains("not find")) {
        return null;
      }
      throw e;
    }
  }

  /** Fields that differ between the live object and the dry-run result, as {@code path: old -> new}. */
  List<String> diff(HasMetadata live, HasMetadata dry, boolean secret) {
    Map<String, Object> a = flatten(live);
    Map<String, Object> b = flatten(dry);
    Set<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      Object x = a.get(p);
      Object y = b.get(p);
      if (Objects.equals(x, y) || p.equals("metadata.annotations." + DesiredHash.ANNOTATION)) {
        continue;
      }
      boolean hide = secret && (p.startsWith("data.") || p.startsWith("stringData."));
      out.add(p + ": " + (hide ? "(hidden)" : show(x)) + " -> " + (hide ? "(hidden)" : show(y)));
    }
    return out;
  }

  private static String show(Object v) {
    if (v == null) {
      return "(none)";
    }
    String s = String.valueOf(v);
    return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) + "..." : s;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> flatten(HasMetadata o) {
    Map<String, Object> map = ops.serialization.convertValue(o, LinkedHashMap.class);
    map.remove("status");
    Object meta = map.get("metadata");
    if (meta instanceof Map<?, ?> m) {
      IGNORED_METADATA.forEach(((Map<String, Object>) m)::remove);
    }
    Map<String, Object> out = new TreeMap<>();
    flatten("", map, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object value, Map<String, Object> out) {
    if (value instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).forEach((k, v) -> flatten(prefix.isEmpty() ? k : prefix + "." + k, v, out));
    } else if (value instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        flatten(prefix + "[" + i + "]", l.get(i), out);
      }
    } else {
      out.put(prefix, value);
    }
  }
}
