package io.kubemesh.core.model;

import io.kubemesh.core.engine.Engine;
import java.util.List;
import org.immutables.value.Value;

/**
 * One domain as declared: a namespace of its own, its engines and the data products it reads.
 *
 * <p>Users normally declare domains through the {@code kubemesh} module's DSL; engine authors and tools read this.
 *
 * <pre>{@code
 * DomainModel sales = DomainModel.builder().name("sales").build();
 * }</pre>
 */
@Value.Immutable
public abstract class DomainModel {

  /** The domain's name, a DNS-1123 label. */
  public abstract String name();

  /** The namespace the domain runs in; its name unless set. */
  @Value.Default
  public String namespace() {
    return name();
  }

  /** Whether this is the mesh's shared platform domain, whose capabilities every domain may use. */
  @Value.Default
  public boolean platform() {
    return false;
  }

  /** The engines, in declaration order; output does not depend on that order. */
  public abstract List<Engine> engines();

  /** Other domains' buckets this domain reads. */
  public abstract List<DataProductRead> reads();

  public static ImmutableDomainModel.Builder builder() {
    return ImmutableDomainModel.builder();
  }
}
