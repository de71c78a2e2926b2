package io.kubemesh.core.model;

import com.google.common.collect.ImmutableList;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.output.MeshOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated mesh: its domains and every object they produce, in apply order.
 *
 * <p>A {@code MeshModel} exists only when everything checked out: names, sizes, references between domains,
 * capabilities and the objects themselves. {@link Builder#build()} either returns one or throws a
 * {@link KubemeshException} listing every problem. Output is computed once, after the whole mesh is declared.
 *
 * <pre>{@code
 * MeshModel model = MeshModel.named("acme")
 *     .domain(DomainModel.builder().name("sales").build())
 *     .build();
 * int objects = model.output().objects().size();
 * }</pre>
 */
public final class MeshModel implements MeshSource {
  private final String name;
  private final String clusterDomain;
  private final ImmutableList<DomainModel> domains;
  private final MeshOutput output;

  MeshModel(String name, String clusterDomain, List<DomainModel> domains, MeshOutput output) {
    this.name = name;
    this.clusterDomain = clusterDomain;
    this.domains = ImmutableList.copyOf(domains);
    this.output = output;
  }

  /** Starts declaring a mesh called {@code name}. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** Returns itself: a model is its own source. */
  @Override
  public MeshModel model() {
    return this;
  }

  public String clusterDomain() {
    return clusterDomain;
  }

  /** The domains in declaration order. */
  public List<DomainModel> domains() {
    return domains;
  }

  public Optional<DomainModel> domain(String domainName) {
    return domains.stream().filter(d -> d.name().equals(domainName)).findFirst();
  }

  /** Every object of the mesh, ordered by phase. */
  public MeshOutput output() {
    return output;
  }

  @Override
  public String toString() {
    return "MeshModel[" + name + ", domains=" + domains.stream().map(DomainModel::name).toList()
        + ", objects=" + output.objects().size() + "]";
  }

  /** Collects domains; {@link #build()} validates and assembles. */
  public static final class Builder {
    private final String name;
    private String clusterDomain = "cluster.local";
    private final List<DomainModel> domains = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** The cluster's DNS domain, used in every service host name; {@code cluster.local} by default. */
    public Builder clusterDomain(String domain) {
      this.clusterDomain = Objects.requireNonNull(domain, "clusterDomain");
      return this;
    }

    public Builder domain(DomainModel domain) {
      domains.add(Objects.requireNonNull(domain, "domain"));
      return this;
    }

    /** Validates the declaration and assembles the output, or throws naming every problem. */
    public MeshModel build() {
      return new MeshAssembler(name, clusterDomain, domains).assemble();
    }
  }
}
