package io.kubemesh.spark;

import io.kubemesh.core.engine.EngineDsl;
import java.util.function.UnaryOperator;

/**
 * Adds {@code withSparkNotebook()} to a domain declaration.
 *
 * <pre>{@code
 * Mesh.domain("sales").withMinio().withSparkNotebook(n -> n.executors(4));
 * }</pre>
 *
 * @param <SELF> the declaration type, returned for chaining
 */
public interface SparkDsl<SELF> extends EngineDsl<SELF> {

  /** A Jupyter notebook that is the Spark driver in client mode, with safe defaults. */
  default SELF withSparkNotebook() {
    return withSparkNotebook(UnaryOperator.identity());
  }

  /** The notebook with settings changed from the defaults. */
  default SELF withSparkNotebook(UnaryOperator<SparkNotebook> settings) {
    return with(settings.apply(SparkNotebook.defaults()).engine());
  }
}
