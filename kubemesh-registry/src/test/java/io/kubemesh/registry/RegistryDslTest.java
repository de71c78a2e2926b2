package io.kubemesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubemesh.core.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryDslTest {
  /** What the kubemesh module's Domain does: collect engines. */
  static final class Domain implements RegistryDsl<Domain> {
    final List<Engine> engines = new ArrayList<>();

    @Override
    public Domain with(Engine engine) {
      engines.add(engine);
      return this;
    }
  }

  @Test
  void withRegistryAddsTheDefaultEngine() {
    Domain d = new Domain().withRegistry();
    assertThat(d.engines).singleElement().isInstanceOfSatisfying(RegistryEngine.class,
        e -> assertThat(e.settings()).isEqualTo(Registry.defaults()));
  }

  @Test
  void withRegistryTakesSettings() {
    Domain d = new Domain().withRegistry(r -> r.s3Storage().replicas(2));
    assertThat(d.engines).singleElement().isInstanceOfSatisfying(RegistryEngine.class,
        e -> assertThat(e.settings()).isEqualTo(Registry.defaults().s3Storage().replicas(2)));
  }

  @Test
  void classJavadocExampleCompilesAndBuilds() {
    // The example of Registry's class comment, verbatim.
    Registry registry = Registry.defaults()
        .s3Storage()                       // blobs in the mesh's object store, so replicas can be > 1
        .replicas(2)
        .address("registry.acme.example:30500")
        .pushers("ci", "spark-images");
    Engine engine = registry.engine();
    assertThat(engine.name()).isEqualTo("registry");
    assertThat(TestMeshes.mesh(registry).output().objects()).isNotEmpty();
  }
}
