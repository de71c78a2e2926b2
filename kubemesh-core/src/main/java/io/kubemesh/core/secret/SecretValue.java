package io.kubemesh.core.secret;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How one key of a {@link GeneratedSecret} gets its value.
 *
 * <p>Values are identified by a mesh-wide id, so the same generated password can appear in several Secrets (the
 * MinIO user's key in the MinIO namespace and in each consumer's namespace) without ever being written into the
 * model. The applier recovers existing values from the cluster by id and generates only missing ones, so credentials
 * survive re-applies.
 *
 * <pre>{@code
 * SecretValue user = SecretValue.literal("admin");
 * SecretValue password = SecretValue.random("sales/minio/root-password", 40);
 * SecretValue sameAgain = SecretValue.random("sales/minio/root-password", 40);
 * }</pre>
 */
public sealed interface SecretValue {

  /** A fixed, non-sensitive value such as a user name; it may appear in messages. */
  static SecretValue literal(String value) {
    return new Literal(value, false);
  }

  /** A fixed value the caller supplied that must stay secret, such as a TLS private key; never in messages. */
  static SecretValue provided(String value) {
    return new Literal(value, true);
  }

  /** A random alphanumeric value of {@code length} characters, the same wherever {@code id} is used. */
  static SecretValue random(String id, int length) {
    return new Random(id, length);
  }

  /**
   * A value computed from other values, for example a bcrypt hash of a generated password; {@code description}
   * names the computation in plans and errors, never the inputs.
   */
  static SecretValue derived(String description, List<SecretValue> inputs, Function<List<String>, String> fn) {
    return new Derived(description, List.copyOf(inputs), fn);
  }

  /** A fixed value; {@code sensitive} keeps it out of messages. */
  record Literal(String value, boolean sensitive) implements SecretValue {
    public Literal {
      Objects.requireNonNull(value, "value");
    }

    public Literal(String value) {
      this(value, false);
    }

    @Override
    public String toString() {
      return "literal";
    }
  }

  /** A generated value, shared by id. */
  record Random(String id, int length) implements SecretValue {
    public Random {
      Objects.requireNonNull(id, "id");
      if (length < 16 || length > 256) {
        throw new IllegalArgumentException("random secret length must be 16..256, was " + length);
      }
    }
  }

  /** A value computed from other values. */
  record Derived(String description, List<SecretValue> inputs, Function<List<String>, String> fn)
      implements SecretValue {
    @Override
    public String toString() {
      return "derived(" + description + ")";
    }
  }
}
