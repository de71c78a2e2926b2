package io.kubemesh.registry;

import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.capability.ImageRegistry;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.engine.EngineSite;
import io.kubemesh.core.engine.Grant;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import io.kubemesh.core.validation.Problems;
import io.kubemesh.core.validation.Rules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs the CNCF distribution registry in a domain and hands every domain that uses it an address and a pull secret.
 */
final class RegistryEngine implements Engine {
  static final String NAME = "registry";
  static final String COMPONENT = "image-registry";
  static final String SERVICE = "registry";
  static final String NODE_SERVICE = "registry-nodeport";
  static final String CONFIG_MAP = "registry-config";
  static final String AUTH_SECRET = "registry-auth";
  static final String TLS_SECRET = "registry-tls";
  static final String PULL_SECRET = "registry-pull";
  static final String DATA_CLAIM = "registry-data";
  static final String HTPASSWD_KEY = "htpasswd";
  static final String HTTP_SECRET_KEY = "http-secret";
  static final int HTTP_SECRET_LENGTH = 48;
  static final int MIN_NODE_PORT = 30000;
  static final int MAX_NODE_PORT = 32767;

  private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+]");
  static final String ADDRESS_RULE = "must be host[:port] as nodes reach the registry: a lowercase DNS name, an IPv4 "
      + "address or a bracketed IPv6 address, optionally ':' and a port from 1 to 65535; no scheme, no path";
  private static final String IDENTITY_RULE = "must be a DNS-1123 label (it names a Secret and an htpasswd user)";

  private final Registry settings;

  RegistryEngine(Registry settings) {
    this.settings = settings;
  }

  Registry settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String component() {
    return COMPONENT;
  }

  @Override
  public Set<Capability<?>> provides() {
    return Set.of(ImageRegistry.CAPABILITY);
  }

  @Override
  public Set<Capability<?>> requires() {
    return settings.s3() ? Set.of(ObjectStore.CAPABILITY) : Set.of();
  }

  @Override
  public void validate(Problems problems, String field) {
    Rules.pinnedImage(problems, field + ".image", settings.image());
    if (settings.s3()) {
      settings.s3Bucket().ifPresent(b -> Rules.bucketName(problems, field + ".s3Storage.bucket", b));
    } else {
      Rules.positiveQuantity(problems, field + ".storage", settings.storageSize());
      settings.storageClass().ifPresent(c -> Rules.dnsSubdomain(problems, field + ".storageClass", c));
    }
    if (Rules.atLeast(problems, field + ".replicas", settings.replicas(), 1) && settings.replicas() > 1) {
      problems.check(settings.s3(), field + ".replicas", settings.replicas(),
          "more than one replica needs s3Storage(): the images volume is ReadWriteOnce and can be mounted by one "
              + "pod only, and every replica must see the same blobs");
    }
    if (settings.tlsPems()) {
      checkPem(problems, field + ".tls.certificate", settings.tlsCertPem(), "CERTIFICATE-----",
          "a PEM certificate (-----BEGIN CERTIFICATE-----)");
      checkPem(problems, field + ".tls.key", settings.tlsKeyPem(), "PRIVATE KEY-----",
          "a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA/EC PRIVATE KEY-----)");
    } else {
      settings.tlsSecret().ifPresent(s -> Rules.dnsSubdomain(problems, field + ".tls.secret", s));
    }
    problems.check(settings.nodePort() >= MIN_NODE_PORT && settings.nodePort() <= MAX_NODE_PORT,
        field + ".nodePort", settings.nodePort(),
        "must be in the default node port range " + MIN_NODE_PORT + " to " + MAX_NODE_PORT);
    if (settings.addressSet()) {
      problems.check(validAddress(settings.address()), field + ".address", settings.address(), ADDRESS_RULE);
    }
    problems.check(!settings.pushIdentities().isEmpty(), field + ".pushers", "[]", "at least one pushing identity is needed");
    Set<String> seen = new HashSet<>();
    for (String identity : settings.pushIdentities()) {
      String f = field + ".pushers[" + identity + "]";
      if (!Rules.dnsLabel(problems, f, identity, 40)) {
        continue;
      }
      problems.check(!identity.equals(Registry.PULL_IDENTITY), f, identity,
          "'pull' is the read identity whose credentials go to every consuming namespace; name pushers otherwise");
      problems.check(seen.add(identity), f, identity, "is listed twice");
    }
  }

  private static void checkPem(Problems problems, String field, String pem, String marker, String what) {
    if (pem == null || pem.isBlank()) {
      problems.add(field, null, "is required when TLS is set with PEMs: give " + what);
    } else {
      problems.check(pem.contains("-----BEGIN ") && pem.contains(marker), field, "<" + pem.length() + " characters>",
          "must be " + what);
    }
  }

  /** Whether {@code address} is {@code host[:port]}, the form image references start with. */
  static boolean validAddress(String address) {
    if (address == null || address.isEmpty() || address.length() > 253 + 6) {
      return false;
    }
    String host = address;
    int colon = address.lastIndexOf(':');
    if (colon >= 0 && !(address.startsWith("[") && colon < address.lastIndexOf(']'))) {
      host = address.substring(0, colon);
      String port = address.substring(colon + 1);
      if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        return false;
      }
    }
    if (IPV6.matcher(host).matches() || IPV4.matcher(host).matches()) {
      return true;
    }
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (label.length() > 63 || !HOST_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public <T> T provide(Capability<T> capability, Consumer consumer, EngineSite site) {
    if (!capability.equals(ImageRegistry.CAPABILITY)) {
      return Engine.super.provide(capability, consumer, site);
    }
    return capability.type().cast(ImageRegistry.builder()
        .address(settings.address())
        .serviceUrl(serviceUrl(site))
        .tls(settings.tls())
        .pullSecret(PULL_SECRET)
        .build());
  }

  String serviceUrl(EngineSite site) {
    return (settings.tls() ? "https://" : "http://") + site.serviceHost(SERVICE) + ":" + RegistryConfig.PORT;
  }

  @Override
  public void emit(EngineContext ctx) {
    Optional<ObjectStore> store = settings.s3() ? Optional.of(ctx.require(ObjectStore.CAPABILITY)) : Optional.empty();
    String bucket = store.map(s -> bucket(s, ctx.domain())).orElse("");
    String config = RegistryConfig.yaml(settings, store, bucket);

    List<String> identities = new ArrayList<>(settings.pushIdentities());
    identities.add(Registry.PULL_IDENTITY);
    ctx.add(GeneratedSecret.named(ctx.namespace(), AUTH_SECRET)
        .with(HTPASSWD_KEY, Htpasswd.file(ctx.domain(), identities))
        .with(HTTP_SECRET_KEY, SecretValue.random(ctx.domain() + "/registry/http-secret", HTTP_SECRET_LENGTH)));
    for (String identity : identities) {
      ctx.add(GeneratedSecret.named(ctx.namespace(), userSecret(identity)).ofType("kubernetes.io/basic-auth")
          .with("username", SecretValue.literal(identity))
          .with("password", Htpasswd.password(ctx.domain(), identity)));
    }
    if (settings.tlsPems()) {
      ctx.add(GeneratedSecret.named(ctx.namespace(), TLS_SECRET).ofType("kubernetes.io/tls")
          .with("tls.crt", SecretValue.literal(settings.tlsCertPem()))
          .with("tls.key", SecretValue.provided(settings.tlsKeyPem())));
    }
    SecretValue pullPassword = Htpasswd.password(ctx.domain(), Registry.PULL_IDENTITY);
    for (Consumer c : ctx.consumers(ImageRegistry.CAPABILITY)) {
      ctx.add(GeneratedSecret.named(c.namespace(), PULL_SECRET).ofType("kubernetes.io/dockerconfigjson")
          .with(".dockerconfigjson", dockerConfig(settings.address(), Registry.PULL_IDENTITY, pullPassword)));
    }
    new RegistryObjects(settings, ctx).emit(config, store);
  }

  /** The bucket images go to: the one named in s3Storage(bucket), else the domain's home bucket. */
  private String bucket(ObjectStore store, String domain) {
    String field = "domains[" + domain + "]." + NAME + ".s3Storage";
    if (store.access() != Grant.Access.READ_WRITE) {
      throw KubemeshException.invalid(field, store.providerDomain(),
          "the object store grants domain '" + domain + "' read-only access; the registry needs to write");
    }
    if (settings.s3Bucket().isPresent()) {
      String b = settings.s3Bucket().get();
      if (!store.buckets().contains(b)) {
        throw KubemeshException.invalid(field + ".bucket", b, "the object store of domain '" + store.providerDomain()
            + "' does not grant this bucket to domain '" + domain + "' (it grants: " + String.join(", ", store.buckets())
            + "); declare the bucket on the store, for example withMinio(m -> m.bucket(\"" + b + "\"))");
      }
      return b;
    }
    if (store.bucket().isEmpty()) {
      throw KubemeshException.invalid(field, store.providerDomain(), "the object store grants no bucket to domain '"
          + domain + "'");
    }
    return store.bucket();
  }

  static String userSecret(String identity) {
    return "registry-user-" + identity;
  }

  /**
   * {@code {"auths":{"<address>":{"username":..,"password":..,"auth":base64(user:pass)}}}}, derived from the
   * generated password so that it is never in the model.
   */
  static SecretValue dockerConfig(String address, String user, SecretValue password) {
    return SecretValue.derived("dockerconfigjson for " + user + "@" + address, List.of(password), values -> {
      String pass = values.get(0);
      String auth = Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
      return "{\"auths\":{" + json(address) + ":{\"username\":" + json(user) + ",\"password\":" + json(pass)
          + ",\"auth\":" + json(auth) + "}}}";
    });
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  @Override
  public String toString() {
    return "RegistryEngine[" + settings + "]";
  }
}
