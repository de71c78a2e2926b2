package io.kubemesh.core.secret;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns {@link SecretValue} recipes into values, remembering each id so that every Secret that names it gets the
 * same value.
 *
 * <p>{@link #secure()} draws from {@link SecureRandom}; it is what the applier and an explicit secret rendering use.
 * {@link #seeded(long)} is for tests and golden files only: its values are predictable.
 *
 * <pre>{@code
 * SecretValues values = SecretValues.secure();
 * String password = values.resolve(SecretValue.random("sales/minio/root-password", 40));
 * }</pre>
 */
public final class SecretValues {
  private static final char[] ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final Random random;
  private final Map<String, String> byId = new HashMap<>();

  private SecretValues(Random random) {
    this.random = random;
  }

  /** Values from a strong random source. */
  public static SecretValues secure() {
    return new SecretValues(new SecureRandom());
  }

  /** Predictable values for tests; never use them for a real cluster. */
  public static SecretValues seeded(long seed) {
    return new SecretValues(new Random(seed));
  }

  /** Makes {@code id} resolve to a value that already exists, for example one read back from the cluster. */
  public synchronized SecretValues remember(String id, String value) {
    byId.put(id, value);
    return this;
  }

  /** Whether {@code id} already has a value. */
  public synchronized boolean knows(String id) {
    return byId.containsKey(id);
  }

  /** The value for a recipe, generating and remembering random ones on first use. */
  public synchronized String resolve(SecretValue value) {
    if (value instanceof SecretValue.Literal literal) {
      return literal.value();
    }
    if (value instanceof SecretValue.Random r) {
      return byId.computeIfAbsent(r.id(), id -> generate(r.length()));
    }
    SecretValue.Derived d = (SecretValue.Derived) value;
    List<String> inputs = new ArrayList<>();
    for (SecretValue input : d.inputs()) {
      inputs.add(resolve(input));
    }
    return d.fn().apply(inputs);
  }

  private String generate(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
    }
    return new String(out);
  }
}
