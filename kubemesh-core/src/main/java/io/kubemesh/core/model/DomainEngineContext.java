package io.kubemesh.core.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.secret.GeneratedSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The context one engine emits into; collects its objects for the assembler. */
final class DomainEngineContext implements EngineContext {
  private final MeshAssembler assembler;
  private final DomainModel domain;
  private final Engine engine;
  private final List<HasMetadata> objects = new ArrayList<>();
  private final List<GeneratedSecret> secrets = new ArrayList<>();

  DomainEngineContext(MeshAssembler assembler, DomainModel domain, Engine engine) {
    this.assembler = assembler;
    this.domain = domain;
    this.engine = engine;
  }

  @Override
  public String mesh() {
    return assembler.meshName();
  }

  @Override
  public String domain() {
    return domain.name();
  }

  @Override
  public String namespace() {
    return domain.namespace();
  }

  @Override
  public String clusterDomain() {
    return assembler.clusterDomain();
  }

  @Override
  public Map<String, String> selectorLabels() {
    return Conventions.selectorLabels(domain, engine.name());
  }

  @Override
  public Map<String, String> standardLabels(String component) {
    return Conventions.standardLabels(assembler.meshName(), domain, engine.name(), component);
  }

  @Override
  public <T> T require(Capability<T> capability) {
    return find(capability).orElseThrow(() -> new IllegalStateException(
        engine.name() + " asked for " + capability + " without declaring it in requires()"));
  }

  @Override
  public <T> Optional<T> find(Capability<T> capability) {
    return assembler.provide(domain, capability);
  }

  @Override
  public List<ObjectStore> dataProducts() {
    return assembler.dataProducts(domain);
  }

  @Override
  public List<Engine.Consumer> consumers(Capability<?> capability) {
    if (!engine.provides().contains(capability)) {
      return List.of();
    }
    return assembler.consumers(domain, engine, capability);
  }

  @Override
  public EngineContext add(HasMetadata object) {
    Objects.requireNonNull(object.getMetadata(), "object metadata");
    objects.add(object);
    return this;
  }

  @Override
  public EngineContext add(GeneratedSecret secret) {
    secrets.add(secret);
    return this;
  }

  List<HasMetadata> objects() {
    return objects;
  }

  List<GeneratedSecret> secrets() {
    return secrets;
  }
}
