package io.kubemesh.minio;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.model.DataProductRead;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Meshes and look-ups shared by the MinIO tests. */
final class MinioMeshes {
  private MinioMeshes() {}

  /** An engine that needs an object store and remembers what it was given. */
  static final class StoreUser implements Engine {
    final List<ObjectStore> required = new ArrayList<>();
    final List<ObjectStore> dataProducts = new ArrayList<>();

    @Override
    public String name() {
      return "store-user";
    }

    @Override
    public Set<Capability<?>> requires() {
      return Set.of(ObjectStore.CAPABILITY);
    }

    @Override
    public void emit(EngineContext ctx) {
      required.add(ctx.require(ObjectStore.CAPABILITY));
      dataProducts.addAll(ctx.dataProducts());
    }
  }

  /** An engine that needs nothing but sees the data products its domain reads. */
  static final class Reader implements Engine {
    final List<ObjectStore> dataProducts = new ArrayList<>();

    @Override
    public String name() {
      return "reader";
    }

    @Override
    public void emit(EngineContext ctx) {
      dataProducts.addAll(ctx.dataProducts());
    }
  }

  static MeshModel single(Minio minio) {
    return MeshModel.named("acme")
        .domain(DomainModel.builder().name("sales").addEngines(minio.engine()).build())
        .build();
  }

  /**
   * sales keeps {@code orders} in its own MinIO; marketing reads it. The platform domain's MinIO holds
   * {@code reports} plus a bucket each for people and finance, which use it; marketing also reads platform's
   * {@code reports}.
   */
  static MeshModel wired(Reader marketing, StoreUser people, StoreUser finance) {
    return MeshModel.named("acme")
        .domain(DomainModel.builder().name("platform").platform(true)
            .addEngines(Minio.defaults().bucket("reports").engine()).build())
        .domain(DomainModel.builder().name("sales")
            .addEngines(Minio.defaults().bucket("orders").engine()).build())
        .domain(DomainModel.builder().name("marketing").addEngines(marketing)
            .addReads(new DataProductRead("sales", "orders"))
            .addReads(new DataProductRead("platform", "reports")).build())
        .domain(DomainModel.builder().name("people").addEngines(people).build())
        .domain(DomainModel.builder().name("finance").namespace("finance-ns").addEngines(finance).build())
        .build();
  }

  static List<HasMetadata> objects(MeshModel model) {
    return Rendering.of(model).objects();
  }

  static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String namespace, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> namespace == null || namespace.equals(o.getMetadata().getNamespace()))
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + namespace + "/" + name
            + " among " + objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/"
            + o.getMetadata().getName()).toList()));
  }

  static <T extends HasMetadata> T findPrefixed(List<HasMetadata> objects, Class<T> type, String namespace,
      String prefix) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> namespace.equals(o.getMetadata().getNamespace()))
        .filter(o -> o.getMetadata().getName().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + namespace + "/" + prefix + "*"));
  }

  static Map<String, String> setupFiles(MeshModel model, String namespace) {
    return find(objects(model), ConfigMap.class, namespace, MinioObjects.SETUP).getData();
  }

  /** The decoded data of a generated Secret, rendered with {@code values}. */
  static Map<String, String> secretData(MeshModel model, SecretValues values, String namespace, String name) {
    Secret secret = find(Rendering.of(model).withSecrets(values).objects(), Secret.class, namespace, name);
    Map<String, String> out = new TreeMap<>();
    secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }
}
