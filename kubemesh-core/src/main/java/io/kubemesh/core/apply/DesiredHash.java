package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The hash of an object's desired state, written to {@value #ANNOTATION} on the live object. When the live hash
 * equals the desired one, the applier skips the object: a no-op re-apply costs one LIST per kind instead of one
 * PATCH per object.
 *
 * <p>For a generated Secret the hash covers its metadata, type and recipe (keys and how each value is made, never a
 * generated value), so a re-apply never touches an existing Secret's values.
 *
 * <p>The trade-off: a field kubemesh owns that someone else changed on the live object since the last apply goes
 * unnoticed until the desired state changes; {@link MeshApplier#plan} still shows it.
 */
final class DesiredHash {
  static final String ANNOTATION = "kubemesh.io/desired-hash";

  private DesiredHash() {}

  static String of(HasMetadata desired, GeneratedSecret recipe, String fieldManager,
      KubernetesSerialization serialization) {
    StringBuilder in = new StringBuilder(fieldManager).append('\n').append(serialization.asJson(desired));
    if (recipe != null) {
      for (Map.Entry<String, SecretValue> e : recipe.data().entrySet()) {
        in.append('\n').append(e.getKey()).append('=').append(describe(e.getValue()));
      }
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(in.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(SecretValue v) {
    if (v instanceof SecretValue.Literal l) {
      return "literal:" + l.value();
    }
    if (v instanceof SecretValue.Random r) {
      return "random:" + r.id() + ":" + r.length();
    }
    SecretValue.Derived d = (SecretValue.Derived) v;
    StringBuilder sb = new StringBuilder("derived:").append(d.description()).append('(');
    d.inputs().forEach(i -> sb.append(describe(i)).append(';'));
    return sb.append(')').toString();
  }
}
