package io.kubemesh.registry;

import io.kubemesh.core.engine.EngineDsl;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The DSL methods of the image registry, mixed into the {@code kubemesh} module's {@code Domain}.
 *
 * <pre>{@code
 * Mesh.named("acme")
 *     .platform(p -> p.withMinio().withRegistry(r -> r.s3Storage().replicas(2)))
 *     .domain("sales", d -> d.withSparkNotebook());
 * }</pre>
 *
 * @param <SELF> the builder type the methods return
 */
public interface RegistryDsl<SELF> extends EngineDsl<SELF> {

  /** Adds an image registry with {@link Registry#defaults()}. */
  default SELF withRegistry() {
    return with(Registry.defaults().engine());
  }

  /** Adds an image registry with the defaults changed by {@code settings}. */
  default SELF withRegistry(UnaryOperator<Registry> settings) {
    Registry registry = Objects.requireNonNull(settings.apply(Registry.defaults()), "withRegistry settings returned null");
    return with(registry.engine());
  }
}
