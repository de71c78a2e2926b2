package io.kubemesh.core.model;

/**
 * The labels and annotations kubemesh writes on objects, for tools and tests that select or inspect them.
 *
 * <pre>{@code
 * client.pods().inNamespace("sales").withLabel(MeshMetadata.DOMAIN_LABEL, "sales").list();
 * }</pre>
 */
public final class MeshMetadata {
  /** The mesh an object belongs to. */
  public static final String MESH_LABEL = "kubemesh.io/mesh";
  /** The domain an object belongs to. */
  public static final String DOMAIN_LABEL = "kubemesh.io/domain";
  /** On pods that mount a service account token: the network policy lets only them reach the API server. */
  public static final String API_ACCESS_LABEL = "kubemesh.io/api-access";
  /** {@code "true"} on objects that hold data or credentials: destroy and prune keep them unless purging. */
  public static final String RETAIN_ANNOTATION = "kubemesh.io/retain";
  /** On generated Secrets: {@code KEY=value-id,...}, so that existing values can be found and kept. */
  public static final String SECRET_VALUES_ANNOTATION = "kubemesh.io/secret-values";

  private MeshMetadata() {}
}
