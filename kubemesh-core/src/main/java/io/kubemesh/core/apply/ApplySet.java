package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A mesh's ApplySet (KEP-3659): the parent object that records which kinds and namespaces hold the mesh's objects,
 * and the id every member carries in its {@value #PART_OF} label.
 *
 * <p>The parent is a Secret named {@code kubemesh-<mesh>} in namespace {@value #PARENT_NAMESPACE}: a namespace no
 * mesh owns, so destroying a mesh (which deletes domain namespaces) never deletes its own inventory before the last
 * member is gone, and renaming or reordering domains never moves it. A Secret, like kubectl's default parent kind,
 * because reading and writing Secrets is usually granted to fewer people than ConfigMaps. It holds no data.
 */
final class ApplySet {
  static final String PARENT_NAMESPACE = "kubemesh-system";
  static final String ID_LABEL = "applyset.kubernetes.io/id";
  static final String PART_OF = "applyset.kubernetes.io/part-of";
  static final String TOOLING = "applyset.kubernetes.io/tooling";
  static final String TOOLING_VALUE = "kubemesh/v1";
  static final String CONTAINS_GROUP_KINDS = "applyset.kubernetes.io/contains-group-kinds";
  static final String ADDITIONAL_NAMESPACES = "applyset.kubernetes.io/additional-namespaces";

  private final String mesh;
  private final String parentName;
  private final String id;

  ApplySet(String mesh) {
    this.mesh = mesh;
    this.parentName = "kubemesh-" + mesh;
    this.id = id(parentName, PARENT_NAMESPACE, "Secret", "");
  }

  /**
   * The ApplySet id as kubectl computes it: {@code applyset-<base64url(sha256(name.namespace.kind.group))>-v1},
   * unpadded URL-safe base64, the group empty for the core group.
   */
  static String id(String name, String namespace, String kind, String group) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(String.join(".", name, namespace, kind, group).getBytes(StandardCharsets.UTF_8));
      return "applyset-" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash) + "-v1";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  String id() {
    return id;
  }

  String mesh() {
    return mesh;
  }

  String parentName() {
    return parentName;
  }

  /** {@code Kind.group}, or {@code Kind} for the core group: the annotation's format. */
  static String groupKind(HasMetadata o) {
    return groupKind(o.getApiVersion(), o.getKind());
  }

  static String groupKind(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? kind : kind + "." + apiVersion.substring(0, slash);
  }

  /** The parent with the kinds and namespaces it vouches for, sorted so that the same set gives the same object. */
  Secret parent(Collection<String> groupKinds, Collection<String> namespaces) {
    Set<String> extra = new TreeSet<>(namespaces);
    extra.remove(PARENT_NAMESPACE);
    extra.remove("");
    SecretBuilder b = new SecretBuilder().withNewMetadata().withName(parentName).withNamespace(PARENT_NAMESPACE)
        .addToLabels(ID_LABEL, id)
        .addToLabels("app.kubernetes.io/managed-by", "kubemesh")
        .addToLabels(MeshApplier.MESH_LABEL, mesh)
        .addToAnnotations(TOOLING, TOOLING_VALUE)
        .addToAnnotations(CONTAINS_GROUP_KINDS, String.join(",", new TreeSet<>(groupKinds)))
        .endMetadata().withType("kubemesh.io/applyset");
    if (!extra.isEmpty()) {
      b.editMetadata().addToAnnotations(ADDITIONAL_NAMESPACES, String.join(",", extra)).endMetadata();
    }
    return b.build();
  }

  /** The group kinds a live parent lists. */
  static Set<String> groupKinds(HasMetadata parent) {
    return split(annotation(parent, CONTAINS_GROUP_KINDS));
  }

  /** The namespaces a live parent covers: its own plus the additional ones. */
  static Set<String> namespaces(HasMetadata parent) {
    Set<String> all = split(annotation(parent, ADDITIONAL_NAMESPACES));
    all.add(PARENT_NAMESPACE);
    return all;
  }

  /** Whether a live parent already says what {@code wanted} says. */
  static boolean same(HasMetadata live, Secret wanted) {
    if (live == null) {
      return false;
    }
    Map<String, String> a = live.getMetadata().getAnnotations();
    Map<String, String> w = wanted.getMetadata().getAnnotations();
    return a != null && List.of(TOOLING, CONTAINS_GROUP_KINDS, ADDITIONAL_NAMESPACES).stream()
        .allMatch(k -> Objects.equals(a.get(k), w.get(k)))
        && Objects.equals(live.getMetadata().getLabels() == null ? null : live.getMetadata().getLabels().get(ID_LABEL),
            wanted.getMetadata().getLabels().get(ID_LABEL));
  }

  static String annotation(HasMetadata o, String key) {
    Map<String, String> a = o == null ? null : o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private static Set<String> split(String s) {
    if (s == null || s.isBlank()) {
      return new TreeSet<>();
    }
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static boolean namespaced(HasMetadata o) {
    return o instanceof Namespaced || (o.getMetadata().getNamespace() != null
        && !o.getMetadata().getNamespace().isEmpty());
  }
}
