package io.kubemesh.core.model;

/**
 * A domain's read-only use of another domain's data product: one bucket of its object store.
 *
 * <pre>{@code
 * DataProductRead read = new DataProductRead("sales", "orders");
 * }</pre>
 *
 * @param domain the domain that owns the data
 * @param bucket the bucket that is read
 */
public record DataProductRead(String domain, String bucket) {
  @Override
  public String toString() {
    return domain + "/" + bucket;
  }
}
