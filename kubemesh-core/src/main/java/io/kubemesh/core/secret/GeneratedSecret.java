package io.kubemesh.core.secret;

import java.util.Map;
import java.util.TreeMap;

/**
 * A Secret whose values kubemesh generates, declared by an engine without any value in it.
 *
 * <p>Until it is rendered with explicit {@link SecretValues} or applied, it holds only the recipe: which keys, and
 * how each value comes about. That keeps generated credentials out of rendered YAML, logs and reports by default.
 *
 * <pre>{@code
 * GeneratedSecret root = GeneratedSecret.named("sales", "minio-root")
 *     .with("MINIO_ROOT_USER", SecretValue.literal("kubemesh-admin"))
 *     .with("MINIO_ROOT_PASSWORD", SecretValue.random("sales/minio/root-password", 40));
 * }</pre>
 *
 * @param namespace where the Secret lives
 * @param name its name
 * @param type the Secret type, {@code Opaque} unless a consumer needs another
 * @param data each key and how its value is made
 */
public record GeneratedSecret(String namespace, String name, String type, Map<String, SecretValue> data) {

  public GeneratedSecret {
    data = java.util.Collections.unmodifiableMap(new TreeMap<>(data));
  }

  /** An empty Opaque secret to add keys to. */
  public static GeneratedSecret named(String namespace, String name) {
    return new GeneratedSecret(namespace, name, "Opaque", Map.of());
  }

  /** A copy with one more key. */
  public GeneratedSecret with(String key, SecretValue value) {
    Map<String, SecretValue> copy = new TreeMap<>(data);
    copy.put(key, value);
    return new GeneratedSecret(namespace, name, type, copy);
  }

  /** A copy with another Secret type, such as {@code kubernetes.io/dockerconfigjson}. */
  public GeneratedSecret ofType(String secretType) {
    return new GeneratedSecret(namespace, name, secretType, data);
  }
}
