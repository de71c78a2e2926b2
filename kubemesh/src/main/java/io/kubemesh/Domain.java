package io.kubemesh;

import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.model.DataProductRead;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.model.MeshSource;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.minio.MinioDsl;
import io.kubemesh.registry.RegistryDsl;
import io.kubemesh.spark.SparkDsl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A domain being declared: the engines it runs and the data it reads from other domains.
 *
 * <p>Every engine module contributes its {@code with...} methods through a mix-in interface that this class
 * implements; {@link #with(Engine)} takes any other engine. Nothing is built until the mesh is: the order of calls
 * never changes the result, and declaring the same engine twice keeps the last declaration.
 *
 * <pre>{@code
 * Mesh mesh = Mesh.domain("sales").withMinio().withSparkNotebook().build();
 * }</pre>
 */
public final class Domain
    implements MeshSource, MinioDsl<Domain>, SparkDsl<Domain>, RegistryDsl<Domain> {
  private final String name;
  private String namespace;
  private final Map<String, Engine> engines = new LinkedHashMap<>();
  private final List<DataProductRead> reads = new ArrayList<>();

  Domain(String name) {
    this.name = name;
  }

  /** Adds an engine; one with the same name replaces the earlier one. */
  @Override
  public Domain with(Engine engine) {
    Objects.requireNonNull(engine, "engine");
    engines.remove(engine.name());
    engines.put(engine.name(), engine);
    return this;
  }

  /** Runs the domain in {@code namespaceName} instead of a namespace named after it. */
  public Domain namespace(String namespaceName) {
    this.namespace = namespaceName;
    return this;
  }

  /**
   * Grants this domain read-only access to {@code bucket} of {@code domain}'s object store: its own credentials,
   * a read-only policy on exactly that bucket and a network path to the store, nothing more.
   */
  public Domain reads(String domain, String bucket) {
    reads.add(new DataProductRead(domain, bucket));
    return this;
  }

  /** Builds a mesh of this one domain, named after it. */
  public Mesh build() {
    return new Mesh(MeshModel.named(name).domain(toModel(false)).build());
  }

  /** Builds the one-domain mesh and renders it. */
  public Rendering render() {
    return build().render();
  }

  @Override
  public MeshModel model() {
    return build().model();
  }

  DomainModel toModel(boolean platform) {
    var builder = DomainModel.builder().name(name).platform(platform)
        .addAllEngines(engines.values()).addAllReads(reads);
    if (namespace != null) {
      builder.namespace(namespace);
    }
    return builder.build();
  }

  String name() {
    return name;
  }

  @Override
  public String toString() {
    return "Domain " + name + " " + engines.keySet() + (reads.isEmpty() ? "" : " reads " + reads)
        + " (call build() or render())";
  }
}
