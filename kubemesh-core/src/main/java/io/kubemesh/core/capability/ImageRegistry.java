package io.kubemesh.core.capability;

import io.kubemesh.core.engine.Capability;
import org.immutables.value.Value;

/**
 * A container image registry as a consumer sees it: the address to put in image references, and a pull secret in
 * the consumer's own namespace.
 *
 * <p>Images are pulled by the node's container runtime, not by a pod, so {@link #address()} must be one that nodes
 * reach (a NodePort, an ingress host or a node-local name), not a ClusterIP service name.
 *
 * <pre>{@code
 * ImageRegistry registry = context.require(ImageRegistry.CAPABILITY);
 * String image = registry.image("spark-notebook", "3.5.3");   // registry.acme.example:30500/spark-notebook:3.5.3
 * String pullSecret = registry.pullSecret();
 * }</pre>
 */
@Value.Immutable
public abstract class ImageRegistry {

  /** The capability under which image registries are provided and required. */
  public static final Capability<ImageRegistry> CAPABILITY =
      Capability.of("an image registry", ImageRegistry.class, "add withRegistry() to the platform or to the domain");

  /** {@code host[:port]} as nodes reach it, used as the prefix of image references. */
  public abstract String address();

  /** The in-cluster service URL, for clients that run in pods (for example, a job that pushes images). */
  public abstract String serviceUrl();

  /** Whether the registry serves TLS; without it every node's runtime must allow it as an insecure registry. */
  public abstract boolean tls();

  /** A {@code kubernetes.io/dockerconfigjson} Secret in the consumer's namespace. */
  public abstract String pullSecret();

  /** The reference of {@code repository:tag} in this registry. */
  public String image(String repository, String tag) {
    return address() + "/" + repository + ":" + tag;
  }

  public static ImmutableImageRegistry.Builder builder() {
    return ImmutableImageRegistry.builder();
  }
}
