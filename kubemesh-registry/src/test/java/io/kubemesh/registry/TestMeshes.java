package io.kubemesh.registry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kubemesh.core.capability.ImageRegistry;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.engine.EngineSite;
import io.kubemesh.core.engine.Grant;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import io.kubemesh.core.secret.SecretValues;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Meshes and tiny engines for the registry's tests; no other engine module is involved. */
final class TestMeshes {
  private TestMeshes() {}

  /** A platform with {@code registry} (and a fake object store when asked) and a domain "sales" that pulls. */
  static MeshModel mesh(Registry registry, boolean withStore) {
    var platform = DomainModel.builder().name("platform").platform(true).addEngines(registry.engine());
    if (withStore) {
      platform.addEngines(new FakeStore());
    }
    return MeshModel.named("acme")
        .domain(platform.build())
        .domain(DomainModel.builder().name("sales").addEngines(new App()).build())
        .build();
  }

  static MeshModel mesh(Registry registry) {
    return mesh(registry, registry.s3());
  }

  /** The rendered objects with generated Secrets resolved from a fixed seed. */
  static List<HasMetadata> render(MeshModel model, SecretValues values) {
    return Rendering.of(model).withSecrets(values).objects();
  }

  static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> kind, String namespace, String name) {
    return objects.stream().filter(kind::isInstance).map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name) && namespace.equals(o.getMetadata().getNamespace()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + namespace + "/" + name
            + " in " + objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/"
            + o.getMetadata().getName()).toList()));
  }

  static Deployment deployment(List<HasMetadata> objects) {
    return find(objects, Deployment.class, "platform", RegistryEngine.NAME);
  }

  static String configYaml(List<HasMetadata> objects) {
    return find(objects, ConfigMap.class, "platform", RegistryEngine.CONFIG_MAP).getData().get("config.yml");
  }

  static String secretValue(List<HasMetadata> objects, String namespace, String name, String key) {
    Secret s = find(objects, Secret.class, namespace, name);
    String b64 = s.getData().get(key);
    if (b64 == null) {
      throw new AssertionError("Secret " + namespace + "/" + name + " has no key " + key + ": " + s.getData().keySet());
    }
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  /** Needs an image registry; runs an image from it with the pull secret it was handed. */
  record App() implements Engine {
    @Override
    public String name() {
      return "app";
    }

    @Override
    public Set<Capability<?>> requires() {
      return Set.of(ImageRegistry.CAPABILITY);
    }

    @Override
    public void emit(EngineContext ctx) {
      ImageRegistry registry = ctx.require(ImageRegistry.CAPABILITY);
      ctx.add(new DeploymentBuilder().withNewMetadata().withName("app").endMetadata()
          .withNewSpec().withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(ctx.selectorLabels()).endMetadata()
          .withNewSpec().addNewImagePullSecret(registry.pullSecret())
          .addNewContainer().withName("app").withImage(registry.image("app", "1.0")).endContainer().endSpec()
          .endTemplate().endSpec().build());
    }
  }

  /** An object store like MinIO's: the consumer's home bucket is its domain name, credentials in a Secret. */
  record FakeStore() implements Engine {
    static final String SECRET = "store-access";

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
      List<String> buckets = consumer.grants().stream().map(Grant::resource)
          .flatMap(r -> r.equals("*") ? List.of(site.domain(), "images").stream() : List.of(r).stream()).toList();
      return capability.type().cast(ObjectStore.builder()
          .host(site.serviceHost("store")).port(9000).tls(false).region("us-east-1")
          .buckets(buckets).access(consumer.grants().get(0).access())
          .providerDomain(site.domain()).providerNamespace(site.namespace())
          .providerPodLabels(site.selectorLabels())
          .credentialsSecret(consumer.domain().equals(site.domain()) ? SECRET : "store-" + site.domain() + "-access")
          .build());
    }

    @Override
    public void emit(EngineContext ctx) {
      ctx.add(new DeploymentBuilder().withNewMetadata().withName("store").endMetadata()
          .withNewSpec().withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(ctx.selectorLabels()).endMetadata()
          .withNewSpec().addNewContainer().withName("store").withImage("example.org/store:1.0").endContainer()
          .endSpec().endTemplate().endSpec().build());
      ctx.add(new ServiceBuilder().withNewMetadata().withName("store").endMetadata()
          .withNewSpec().withSelector(ctx.selectorLabels()).addNewPort().withPort(9000).endPort().endSpec().build());
      ctx.add(new GeneratedSecret(ctx.namespace(), SECRET, "Opaque", Map.of(
          "AWS_ACCESS_KEY_ID", SecretValue.literal("platform-store"),
          "AWS_SECRET_ACCESS_KEY", SecretValue.random(ctx.domain() + "/store/secret-key", 32))));
    }
  }
}
