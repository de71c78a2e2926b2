package io.kubemesh.registry;

import io.kubemesh.core.secret.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The registry's htpasswd file: one {@code user:bcrypt} line per identity, as a derived secret value.
 *
 * <p>distribution accepts bcrypt hashes only. Hashing is Bouncy Castle's {@link OpenBSDBCrypt}.
 *
 * <p>Stability: a derived value is recomputed every time a Secret is resolved (render, plan, apply), and a random
 * bcrypt salt would make the htpasswd Secret differ on every apply even though no password changed. So the salt is
 * derived: the first 16 bytes of HMAC-SHA256 keyed with the password over the password's value id. The hash then
 * changes exactly when the password does. This costs nothing in strength: the salt stays unique per identity and
 * unpredictable without the password, and the passwords are 32 random alphanumerics (about 190 bits), far out of
 * reach of precomputed tables either way.
 *
 * <p>Cost 10 is bcrypt's usual default. The registry checks the hash on every request (a pull is a handful of them),
 * which costs some CPU per request; since the passwords are random, a higher cost would buy nothing.
 */
final class Htpasswd {
  static final int COST = 10;
  static final int PASSWORD_LENGTH = 32;

  private Htpasswd() {}

  /** The generated password of {@code identity} in the registry of {@code domain}. */
  static SecretValue password(String domain, String identity) {
    return SecretValue.random(passwordId(domain, identity), PASSWORD_LENGTH);
  }

  static String passwordId(String domain, String identity) {
    return domain + "/registry/users/" + identity + "/password";
  }

  /** The htpasswd file for {@code identities} (name to password id), in the given order. */
  static SecretValue file(String domain, List<String> identities) {
    List<SecretValue> passwords = identities.stream().map(i -> password(domain, i)).toList();
    return SecretValue.derived("htpasswd (bcrypt) of " + String.join(", ", identities), passwords, values -> {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < identities.size(); i++) {
        out.append(identities.get(i)).append(':')
            .append(hash(values.get(i), passwordId(domain, identities.get(i)))).append('\n');
      }
      return out.toString();
    });
  }

  /** The bcrypt hash of {@code password}, salted from the password and its id; see the class comment. */
  static String hash(String password, String saltContext) {
    char[] chars = password.toCharArray();
    try {
      return OpenBSDBCrypt.generate("2y", chars, salt(password, saltContext), COST);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  static byte[] salt(String password, String saltContext) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(("kubemesh-registry-htpasswd-salt:" + saltContext).getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Whether an htpasswd file has a line for {@code user} whose hash matches {@code password}. */
  static boolean verifies(String htpasswd, String user, String password) {
    for (String line : htpasswd.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equals(user)) {
        return OpenBSDBCrypt.checkPassword(line.substring(colon + 1), password.toCharArray());
      }
    }
    return false;
  }

  /** Parses {@code user:hash} lines, for tests and diagnostics. */
  static Map<String, String> entries(String htpasswd) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String line : htpasswd.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
