package io.kubemesh.spark;

import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.engine.EngineSite;
import io.kubemesh.core.engine.Grant;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test-only object store provider, so that this module does not depend on kubemesh-minio: it hands out a view
 * with a DNS endpoint and emits one credentials Secret per consumer, with generated values.
 */
final class FakeObjectStore implements Engine {
  static final int PORT = 9000;
  private final String bucket;

  FakeObjectStore(String bucket) {
    this.bucket = bucket;
  }

  @Override
  public String name() {
    return "fake-store";
  }

  @Override
  public Set<Capability<?>> provides() {
    return Set.of(ObjectStore.CAPABILITY);
  }

  /** The random-value ids of a consumer's keys, so that tests can feed real values in. */
  static String accessKeyId(String consumerDomain) {
    return consumerDomain + "/fake-store/access-key";
  }

  static String secretKeyId(String consumerDomain) {
    return consumerDomain + "/fake-store/secret-key";
  }

  static String secretName(String providerDomain) {
    return providerDomain + "-store-credentials";
  }

  @Override
  public <T> T provide(Capability<T> capability, Engine.Consumer consumer, EngineSite site) {
    Grant first = consumer.grants().get(0);
    List<String> buckets = consumer.grants().stream()
        .map(g -> g.resource().equals("*") ? bucket : g.resource()).toList();
    return capability.type().cast(ObjectStore.builder()
        .host(site.serviceHost("fake-store"))
        .port(PORT)
        .tls(false)
        .region("us-east-1")
        .buckets(buckets)
        .access(first.access())
        .providerDomain(site.domain())
        .providerNamespace(site.namespace())
        .providerPodLabels(Map.of("app.kubernetes.io/name", "fake-store"))
        .credentialsSecret(secretName(site.domain()))
        .build());
  }

  @Override
  public void emit(EngineContext ctx) {
    for (Engine.Consumer c : ctx.consumers(ObjectStore.CAPABILITY)) {
      ctx.add(GeneratedSecret.named(c.namespace(), secretName(ctx.domain()))
          .with("AWS_ACCESS_KEY_ID", SecretValue.random(accessKeyId(c.domain()) + "@" + ctx.domain(), 20))
          .with("AWS_SECRET_ACCESS_KEY", SecretValue.random(secretKeyId(c.domain()) + "@" + ctx.domain(), 40)));
    }
  }
}
