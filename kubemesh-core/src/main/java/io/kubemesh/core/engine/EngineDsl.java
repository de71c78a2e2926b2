package io.kubemesh.core.engine;

/**
 * The hook that engine modules hang their DSL methods on.
 *
 * <p>Java has no extension methods, so each engine module publishes a mix-in interface with default methods
 * ({@code withMinio()}, {@code withSparkNotebook()}) that end in {@link #with(Engine)}. The {@code kubemesh} module's
 * {@code Domain} implements every engine's mix-in; the core knows none of them.
 *
 * <pre>{@code
 * public interface EchoDsl<SELF> extends EngineDsl<SELF> {
 *   default SELF withEcho() { return with(new EchoEngine()); }
 * }
 * }</pre>
 *
 * @param <SELF> the builder type the DSL methods return, so chains keep their type
 */
public interface EngineDsl<SELF> {

  /** Adds an engine to the domain being declared. Engines with the same name replace each other. */
  SELF with(Engine engine);
}
