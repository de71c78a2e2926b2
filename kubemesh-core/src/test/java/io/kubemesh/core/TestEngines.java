package io.kubemesh.core;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.engine.EngineSite;
import io.kubemesh.core.engine.Grant;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import io.kubemesh.core.validation.Problems;
import java.util.List;
import java.util.Set;

/** Small engines that exercise the contract without depending on a real engine module. */
final class TestEngines {
  private TestEngines() {}

  /** Provides an object store with one bucket per domain plus the listed ones. */
  record Store(List<String> buckets, String image) implements Engine {
    Store() {
      this(List.of("orders"), "example.org/store:1.0");
    }

    @Override
    public String name() {
      return "store";
    }

    @Override
    public Set<Capability<?>> provides() {
      return Set.of(ObjectStore.CAPABILITY);
    }

    @Override
    public <T> T provide(Capability<T> capability, Consumer consumer, EngineSite site) {
      List<String> granted = consumer.grants().stream().map(Grant::resource)
          .map(r -> r.equals("*") ? site.domain() : r).toList();
      for (String b : granted) {
        if (!b.equals(site.domain()) && !buckets.contains(b) && !b.equals(consumer.domain())) {
          throw KubemeshException.invalid("domains[" + consumer.domain() + "].reads", site.domain() + "/" + b,
              "domain '" + site.domain() + "' has no bucket '" + b + "'");
        }
      }
      return capability.type().cast(ObjectStore.builder()
          .host(site.serviceHost("store")).port(9000).tls(false).region("us-east-1")
          .buckets(granted).access(consumer.grants().get(0).access())
          .providerDomain(site.domain()).providerNamespace(site.namespace())
          .providerPodLabels(site.selectorLabels())
          .credentialsSecret(consumer.domain().equals(site.domain()) ? "store-access"
              : "store-" + site.domain() + "-access")
          .build());
    }

    @Override
    public void emit(EngineContext ctx) {
      ctx.add(new DeploymentBuilder().withNewMetadata().withName("store").endMetadata()
          .withNewSpec().withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(ctx.selectorLabels()).endMetadata()
          .withNewSpec().addNewContainer().withName("store").withImage(image).endContainer().endSpec()
          .endTemplate().endSpec().build());
      ctx.add(new ServiceBuilder().withNewMetadata().withName("store").endMetadata()
          .withNewSpec().withSelector(ctx.selectorLabels()).addNewPort().withPort(9000).endPort().endSpec().build());
      for (Consumer c : ctx.consumers(ObjectStore.CAPABILITY)) {
        ctx.add(new GeneratedSecret(c.namespace(),
            c.domain().equals(ctx.domain()) ? "store-access" : "store-" + ctx.domain() + "-access", "Opaque",
            java.util.Map.of("AWS_ACCESS_KEY_ID", SecretValue.literal(c.domain()),
                "AWS_SECRET_ACCESS_KEY", SecretValue.random(ctx.domain() + "/store/" + c.domain(), 32))));
      }
    }
  }

  /** Needs an object store and writes its endpoint into a ConfigMap; its pod talks to the API. */
  record Reader(String name, String memory) implements Engine {
    Reader() {
      this("reader", "1Gi");
    }

    @Override
    public Set<Capability<?>> requires() {
      return Set.of(ObjectStore.CAPABILITY);
    }

    @Override
    public void validate(Problems problems, String field) {
      io.kubemesh.core.validation.Rules.quantity(problems, field + ".memory", memory);
    }

    @Override
    public void emit(EngineContext ctx) {
      ObjectStore store = ctx.require(ObjectStore.CAPABILITY);
      ctx.add(new ConfigMapBuilder().withNewMetadata().withName(name + "-config").endMetadata()
          .addToData("zeta", "last").addToData("endpoint", store.endpoint()).addToData("bucket", store.bucket())
          .build());
      ctx.add(new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
          .withNewSpec().withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(ctx.selectorLabels()).endMetadata()
          .withNewSpec().withAutomountServiceAccountToken(true)
          .addNewContainer().withName("main").withImage("example.org/reader:2.1")
          .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity(memory))
          .endResources().endContainer().endSpec()
          .endTemplate().endSpec().build());
    }
  }
}
