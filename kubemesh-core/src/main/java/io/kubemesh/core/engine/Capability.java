package io.kubemesh.core.engine;

import java.util.Objects;

/**
 * A typed contract through which engines find each other: one engine provides it, others require it.
 *
 * <p>A consumer never learns a provider's implementation, only the value the capability carries (for the object
 * store: an endpoint by DNS name and a Secret reference). When nothing in a domain provides a capability that one
 * of its engines requires, building the mesh fails with {@link #howToProvide()} in the message.
 *
 * <pre>{@code
 * Capability<ObjectStore> store = ObjectStore.CAPABILITY;
 * String hint = store.howToProvide();   // "add withMinio() to the domain"
 * }</pre>
 *
 * @param <T> the value a provider hands to consumers
 */
public final class Capability<T> {
  private final String name;
  private final Class<T> type;
  private final String howToProvide;

  private Capability(String name, Class<T> type, String howToProvide) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.howToProvide = Objects.requireNonNull(howToProvide, "howToProvide");
  }

  /**
   * Declares a capability. {@code howToProvide} finishes the sentence "… needs an object store: " and should name
   * the DSL call that adds a provider.
   */
  public static <T> Capability<T> of(String name, Class<T> type, String howToProvide) {
    return new Capability<>(name, type, howToProvide);
  }

  public String name() {
    return name;
  }

  public Class<T> type() {
    return type;
  }

  public String howToProvide() {
    return howToProvide;
  }

  @Override
  public String toString() {
    return name;
  }
}
