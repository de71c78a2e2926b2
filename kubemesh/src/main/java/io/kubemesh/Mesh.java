package io.kubemesh;

import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.model.MeshSource;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.render.Rendering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A data mesh: domains, each in a namespace of its own, each running the engines that suit it, wired together.
 *
 * <p>A {@code Mesh} is always valid: building one checks every name, size, reference and capability first and
 * throws a {@link io.kubemesh.core.KubemeshException} that lists every problem otherwise.
 *
 * <pre>{@code
 * Mesh sales = Mesh.domain("sales").withMinio().withSparkNotebook().build();
 *
 * Mesh acme = Mesh.named("acme")
 *     .domain("sales", d -> d.withMinio(m -> m.bucket("orders")).withSparkNotebook())
 *     .domain("marketing", d -> d.withMinio().withSparkNotebook().reads("sales", "orders"))
 *     .build();
 * String yaml = acme.render().toYaml();
 * }</pre>
 */
public final class Mesh implements MeshSource {
  private final MeshModel model;

  Mesh(MeshModel model) {
    this.model = model;
  }

  /** Starts a one-domain mesh; finish it with {@link Domain#build()} or {@link Domain#render()}. */
  public static Domain domain(String name) {
    return new Domain(name);
  }

  /** Starts a mesh of several domains. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  @Override
  public MeshModel model() {
    return model;
  }

  public String name() {
    return model.name();
  }

  /** The domain names in declaration order. */
  public List<String> domains() {
    return model.domains().stream().map(DomainModel::name).toList();
  }

  /** The mesh as manifests; generated Secrets are left out unless asked for. */
  public Rendering render() {
    return Rendering.of(model);
  }

  /** Domains, their engines, and how many objects of each kind the mesh has. */
  public String summary() {
    StringBuilder sb = new StringBuilder("mesh ").append(name()).append('\n');
    for (DomainModel d : model.domains()) {
      sb.append("  domain ").append(d.name()).append(d.platform() ? " (platform)" : "")
          .append(" in namespace ").append(d.namespace()).append(": ")
          .append(d.engines().stream().map(e -> e.name()).sorted().collect(Collectors.joining(", ")));
      if (!d.reads().isEmpty()) {
        sb.append("; reads ").append(d.reads().stream().map(Object::toString).collect(Collectors.joining(", ")));
      }
      sb.append('\n');
    }
    List<MeshObject> objects = model.output().objects();
    sb.append("  ").append(objects.size()).append(" objects: ");
    sb.append(model.output().countByKind().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", ")));
    long secrets = objects.stream().filter(MeshObject::isGeneratedSecret).count();
    sb.append("\n  ").append(secrets).append(" generated secrets (values made by the applier, not rendered)\n");
    return sb.toString();
  }

  @Override
  public String toString() {
    return summary();
  }

  /** Declares the domains of a mesh; {@link #build()} validates everything at once. */
  public static final class Builder {
    private final String name;
    private final List<Map.Entry<Domain, Boolean>> domains = new ArrayList<>();
    private String clusterDomain = "cluster.local";

    private Builder(String name) {
      this.name = name;
    }

    /** The shared platform domain, named {@code platform}; its capabilities serve every domain that lacks one. */
    public Builder platform(Consumer<Domain> declaration) {
      return platform("platform", declaration);
    }

    public Builder platform(String domainName, Consumer<Domain> declaration) {
      return add(domainName, declaration, true);
    }

    public Builder domain(String domainName, Consumer<Domain> declaration) {
      return add(domainName, declaration, false);
    }

    /** The cluster's DNS domain used in service host names; {@code cluster.local} unless changed. */
    public Builder clusterDomain(String dnsDomain) {
      this.clusterDomain = Objects.requireNonNull(dnsDomain, "clusterDomain");
      return this;
    }

    private Builder add(String domainName, Consumer<Domain> declaration, boolean platform) {
      Domain domain = new Domain(domainName);
      declaration.accept(domain);
      domains.add(Map.entry(domain, platform));
      return this;
    }

    public Mesh build() {
      MeshModel.Builder builder = MeshModel.named(name).clusterDomain(clusterDomain);
      domains.forEach(e -> builder.domain(e.getKey().toModel(e.getValue())));
      return new Mesh(builder.build());
    }
  }
}
