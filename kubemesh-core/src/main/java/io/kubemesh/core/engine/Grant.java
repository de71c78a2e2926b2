package io.kubemesh.core.engine;

/**
 * Access a consuming domain was granted to one resource of a provider, for example read-only access to the
 * {@code orders} bucket of the {@code sales} domain.
 *
 * <pre>{@code
 * Grant grant = new Grant("marketing", "marketing", "orders", Grant.Access.READ_ONLY);
 * }</pre>
 *
 * @param consumerDomain the domain that uses the resource
 * @param consumerNamespace its namespace, where credentials for the resource are placed
 * @param resource the provider's resource, such as a bucket name
 * @param access what the consumer may do with it
 */
public record Grant(String consumerDomain, String consumerNamespace, String resource, Access access) {

  /** What a consumer may do with a granted resource. */
  public enum Access {
    READ_ONLY,
    READ_WRITE
  }
}
