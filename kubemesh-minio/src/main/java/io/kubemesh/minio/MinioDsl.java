package io.kubemesh.minio;

import io.kubemesh.core.engine.EngineDsl;
import java.util.function.UnaryOperator;

/**
 * Adds {@code withMinio()} to a domain declaration.
 *
 * <pre>{@code
 * Mesh.domain("sales").withMinio(m -> m.bucket("orders"));
 * }</pre>
 *
 * @param <SELF> the declaration type, returned for chaining
 */
public interface MinioDsl<SELF> extends EngineDsl<SELF> {

  /** MinIO with safe defaults: standalone, a 10Gi volume, generated credentials. */
  default SELF withMinio() {
    return withMinio(UnaryOperator.identity());
  }

  /** MinIO with settings changed from the defaults. */
  default SELF withMinio(UnaryOperator<Minio> settings) {
    return with(settings.apply(Minio.defaults()).engine());
  }
}
