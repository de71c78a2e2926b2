package io.kubemesh.core.engine;

import io.kubemesh.core.validation.Problems;
import java.util.Set;

/**
 * An engine instance in a domain: its settings plus the knowledge to turn them into Kubernetes objects.
 *
 * <p>This is the plug-in contract. An engine module implements it (usually package-private) and offers a DSL
 * method such as {@code withMinio()} through an {@link EngineDsl} mix-in. The core calls an engine only after the
 * whole mesh is declared, so the order of {@code with...} calls never changes the output. An engine never talks to
 * the cluster: it emits objects through {@link EngineContext} and the core applies conventions (labels, security
 * context, resources) to all of them.
 *
 * <pre>{@code
 * final class EchoEngine implements Engine {
 *   public String name() { return "echo"; }
 *   public void emit(EngineContext ctx) {
 *     ctx.add(new ConfigMapBuilder().withNewMetadata().withName("echo").endMetadata()
 *         .addToData("greeting", "hello").build());
 *   }
 * }
 * }</pre>
 */
public interface Engine {

  /**
   * The engine's name in its domain, a DNS-1123 label; it becomes {@code app.kubernetes.io/name} and the prefix
   * of the engine's object names. Two engines in one domain may not share a name.
   */
  String name();

  /** The role of the engine, written as {@code app.kubernetes.io/component}; defaults to its name. */
  default String component() {
    return name();
  }

  /** Capabilities this engine offers to other engines. */
  default Set<Capability<?>> provides() {
    return Set.of();
  }

  /** Capabilities this engine cannot work without; a domain lacking one fails to build. */
  default Set<Capability<?>> requires() {
    return Set.of();
  }

  /**
   * Checks the engine's settings, recording every problem; {@code field} is the path to prefix, for example
   * {@code domains[sales].minio}.
   */
  default void validate(Problems problems, String field) {}

  /**
   * The loosest Pod Security level the engine's pods need. Anything but {@link PodSecurityLevel#RESTRICTED}
   * must come with {@link #podSecurityReason()}.
   */
  default PodSecurityLevel podSecurityLevel() {
    return PodSecurityLevel.RESTRICTED;
  }

  /** Why the engine cannot run under {@code restricted}; empty when it can. */
  default String podSecurityReason() {
    return "";
  }

  /**
   * Hands a consumer the value of a capability this engine provides. Called once per consuming domain, before any
   * engine emits; {@code site} is where this engine itself lives.
   */
  default <T> T provide(Capability<T> capability, Consumer consumer, EngineSite site) {
    throw new UnsupportedOperationException(name() + " does not provide " + capability);
  }

  /** Emits the engine's objects for its domain. */
  void emit(EngineContext context);

  /** The domain that asks for a capability, and what it was granted. */
  record Consumer(String domain, String namespace, java.util.List<Grant> grants) {}
}
