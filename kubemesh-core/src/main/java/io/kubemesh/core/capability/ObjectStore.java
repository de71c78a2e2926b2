package io.kubemesh.core.capability;

import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Grant;
import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/**
 * An S3-compatible object store as a consumer sees it: where it is, which buckets it may use, and where its
 * credentials are.
 *
 * <p>The endpoint is always a service DNS name, never an IP. The credentials are a Secret in the consumer's own
 * namespace holding {@link #accessKeyKey()} and {@link #secretKeyKey()}; consumers reference it from environment
 * variables and never copy the values.
 *
 * <pre>{@code
 * ObjectStore store = context.require(ObjectStore.CAPABILITY);
 * String endpoint = store.endpoint();            // http://minio.sales.svc.cluster.local:9000
 * String secret = store.credentialsSecret();     // a Secret in the consumer's namespace
 * }</pre>
 */
@Value.Immutable
public abstract class ObjectStore {

  /** The capability under which object stores are provided and required. */
  public static final Capability<ObjectStore> CAPABILITY =
      Capability.of("an object store", ObjectStore.class, "add withMinio() to the domain");

  /** Host name of the store's service, for example {@code minio.sales.svc.cluster.local}. */
  public abstract String host();

  public abstract int port();

  /** Whether clients must speak TLS to the store. */
  public abstract boolean tls();

  public abstract String region();

  /** Whether buckets are addressed by path ({@code host/bucket}) rather than by virtual host. */
  @Value.Default
  public boolean pathStyle() {
    return true;
  }

  /** The buckets this consumer was granted, its home bucket first. */
  public abstract List<String> buckets();

  /** The bucket a consumer writes to by default: the first granted one. */
  @Value.Derived
  public String bucket() {
    return buckets().isEmpty() ? "" : buckets().get(0);
  }

  public abstract Grant.Access access();

  /** The domain whose store this is. */
  public abstract String providerDomain();

  public abstract String providerNamespace();

  /** Labels that select the store's pods, for network policies. */
  public abstract Map<String, String> providerPodLabels();

  /** A Secret in the consumer's namespace with the access and secret key. */
  public abstract String credentialsSecret();

  @Value.Default
  public String accessKeyKey() {
    return "AWS_ACCESS_KEY_ID";
  }

  @Value.Default
  public String secretKeyKey() {
    return "AWS_SECRET_ACCESS_KEY";
  }

  /** The URL clients connect to, scheme included. */
  @Value.Derived
  public String endpoint() {
    return (tls() ? "https://" : "http://") + host() + ":" + port();
  }

  public static ImmutableObjectStore.Builder builder() {
    return ImmutableObjectStore.builder();
  }
}
