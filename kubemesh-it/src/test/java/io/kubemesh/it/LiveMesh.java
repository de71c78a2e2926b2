package io.kubemesh.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.MeshObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What of a mesh is in the cluster, compared by {@code Kind namespace/name} ids. */
final class LiveMesh {
  static final String MESH_LABEL = "kubemesh.io/mesh";

  private LiveMesh() {}

  /** The ids of the mesh's objects as declared, plus the applier's ApplySet parent Secret. */
  static Set<String> declared(MeshModel model) {
    Set<String> ids = new TreeSet<>();
    ids.add(parent(model.name()));
    model.output().objects().forEach(o -> ids.add(id(o.kind(), o.namespace(), o.name())));
    return ids;
  }

  /**
   * Every object in the cluster, of every kind the mesh declares, labelled {@code kubemesh.io/mesh=<mesh>}: a
   * mesh that converged has exactly {@link #declared} here (plus what controllers stamp out of its templates,
   * which are of other kinds, or PVCs of StatefulSet claim templates, which {@code extraKinds} can leave out).
   */
  static Set<String> labelled(KubernetesClient client, MeshModel model) {
    Map<String, String> kinds = new TreeMap<>();
    for (MeshObject o : model.output().objects()) {
      kinds.put(o.kind(), o.apiVersion());
    }
    Set<String> ids = new TreeSet<>();
    kinds.forEach((kind, apiVersion) -> {
      for (GenericKubernetesResource r : client.genericKubernetesResources(apiVersion, kind).inAnyNamespace()
          .withLabel(MESH_LABEL, model.name()).list().getItems()) {
        String ns = r.getMetadata().getNamespace();
        ids.add(id(kind, ns == null ? "" : ns, r.getMetadata().getName()));
      }
    });
    return ids;
  }

  /** The ApplySet parent: {@code Secret kubemesh-system/kubemesh-<mesh>}. */
  static String parent(String mesh) {
    return id("Secret", "kubemesh-system", "kubemesh-" + mesh);
  }

  static String id(String kind, String namespace, String name) {
    return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
  }

  /** Every generated Secret's decoded data, by id: to compare before and after. */
  static Map<String, Map<String, String>> generatedSecretValues(KubernetesClient client, MeshModel model) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (MeshObject o : model.output().objects()) {
      if (!o.isGeneratedSecret()) {
        continue;
      }
      Secret s = client.secrets().inNamespace(o.namespace()).withName(o.name()).get();
      Map<String, String> data = new TreeMap<>();
      if (s != null && s.getData() != null) {
        s.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      out.put(id(o.kind(), o.namespace(), o.name()), s == null ? null : data);
    }
    return out;
  }
}
