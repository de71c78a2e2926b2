package io.kubemesh.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.secret.GeneratedSecret;
import java.util.List;
import java.util.Optional;

/**
 * What an engine sees of its domain while it emits objects, and where it puts them.
 *
 * <p>Objects added here get the mesh's conventions from the core: labels, the domain's namespace when they have
 * none, a restricted security context, resources and no service account token unless the pod sets
 * {@code automountServiceAccountToken: true}.
 *
 * <pre>{@code
 * public void emit(EngineContext ctx) {
 *   ObjectStore store = ctx.require(ObjectStore.CAPABILITY);
 *   ctx.add(new ConfigMapBuilder().withNewMetadata().withName(name() + "-config").endMetadata()
 *       .addToData("endpoint", store.endpoint()).build());
 * }
 * }</pre>
 */
public interface EngineContext extends EngineSite {

  /** A capability from this domain, else from the platform domain; a missing one failed the build already. */
  <T> T require(Capability<T> capability);

  /** A capability if this domain or the platform provides it. */
  <T> Optional<T> find(Capability<T> capability);

  /** Read-only views on other domains' buckets that this domain {@code reads}. */
  List<ObjectStore> dataProducts();

  /** The domains that use a capability this engine provides, with what each was granted. */
  List<Engine.Consumer> consumers(Capability<?> capability);

  /** Adds an object; its phase follows from its kind. */
  EngineContext add(HasMetadata object);

  /** Adds a Secret whose values kubemesh generates; see {@link GeneratedSecret}. */
  EngineContext add(GeneratedSecret secret);
}
