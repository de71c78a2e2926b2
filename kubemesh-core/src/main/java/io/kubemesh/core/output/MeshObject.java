package io.kubemesh.core.output;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubemesh.core.secret.GeneratedSecret;
import java.util.Optional;

/**
 * One object of a built mesh, with where it came from and when it is applied.
 *
 * <p>For a generated Secret, {@link #object()} holds only its metadata (no values) and {@link #generatedSecret()}
 * its recipe; a renderer or the applier resolves values when asked to.
 *
 * <pre>{@code
 * for (MeshObject o : mesh.model().output().objects()) {
 *   System.out.println(o.phase() + " " + o.kind() + " " + o.namespace() + "/" + o.name());
 * }
 * }</pre>
 *
 * @param phase when it is applied
 * @param domain the domain that declared it
 * @param engine the engine that emitted it, or {@code kubemesh} for objects the core adds
 * @param object the typed object, conventions applied
 * @param generatedSecret the recipe when the object is a generated Secret
 */
public record MeshObject(
    Phase phase, String domain, String engine, HasMetadata object, Optional<GeneratedSecret> generatedSecret) {

  public String kind() {
    return object.getKind();
  }

  public String apiVersion() {
    return object.getApiVersion();
  }

  /** The namespace, or the empty string for cluster-scoped objects. */
  public String namespace() {
    String ns = object.getMetadata().getNamespace();
    return ns == null ? "" : ns;
  }

  public String name() {
    return object.getMetadata().getName();
  }

  public boolean isGeneratedSecret() {
    return generatedSecret.isPresent();
  }

  /** {@code apiVersion/kind namespace/name}: unique within a mesh. */
  public String id() {
    return apiVersion() + "/" + kind() + " " + (namespace().isEmpty() ? "" : namespace() + "/") + name();
  }
}
