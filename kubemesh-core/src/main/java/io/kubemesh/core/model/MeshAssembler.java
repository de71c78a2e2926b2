package io.kubemesh.core.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineSite;
import io.kubemesh.core.engine.Grant;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.output.MeshOutput;
import io.kubemesh.core.output.Phase;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import io.kubemesh.core.validation.Problems;
import io.kubemesh.core.validation.Rules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns a declaration into a {@link MeshModel}: validate, wire capabilities, let engines emit, apply conventions,
 * order. Every problem is collected; nothing partial escapes.
 */
final class MeshAssembler {
  static final String CORE = "kubemesh";
  static final String SECRET_VALUES_ANNOTATION = MeshMetadata.SECRET_VALUES_ANNOTATION;

  private final String name;
  private final String clusterDomain;
  private final List<DomainModel> domains;
  private final Problems problems = new Problems();
  private final Map<String, DomainModel> byName = new LinkedHashMap<>();
  // (provider domain, capability, consumer domain) -> value, so each provider is asked once per consumer
  private final Map<String, Object> provided = new HashMap<>();

  MeshAssembler(String name, String clusterDomain, List<DomainModel> domains) {
    this.name = name;
    this.clusterDomain = clusterDomain;
    this.domains = List.copyOf(domains);
  }

  MeshModel assemble() {
    validateDeclaration();
    problems.throwIfAny(what());
    validateWiring();
    problems.throwIfAny(what());

    List<MeshObject> objects = new ArrayList<>();
    Map<String, String> domainOfNamespace = new HashMap<>();
    domains.forEach(d -> domainOfNamespace.put(d.namespace(), d.name()));
    for (DomainModel domain : domains) {
      Conventions conventions = new Conventions(name, domain, problems);
      for (HasMetadata object : DomainBaseline.objects(domain, podSecurity(domain), storesReachedFrom(domain), storeIngress(domain))) {
        conventions.apply(object, CORE, "domain", false);
        objects.add(new MeshObject(Phase.of(object), domain.name(), CORE, object, Optional.empty()));
      }
      for (Engine engine : sortedEngines(domain)) {
        DomainEngineContext ctx = new DomainEngineContext(this, domain, engine);
        try {
          engine.emit(ctx);
        } catch (KubemeshException e) {
          e.violations().forEach(v -> problems.add(v.field(), v.value(), v.rule()));
          continue;
        }
        for (HasMetadata object : ctx.objects()) {
          conventions.apply(object, engine.name(), engine.component(),
              engine.podSecurityLevel() != io.kubemesh.core.engine.PodSecurityLevel.RESTRICTED);
          String owner = domainOfNamespace.getOrDefault(namespaceOf(object, domain), domain.name());
          objects.add(new MeshObject(Phase.of(object), owner, engine.name(), object, Optional.empty()));
        }
        for (GeneratedSecret secret : ctx.secrets()) {
          Secret placeholder = placeholder(secret);
          conventions.apply(placeholder, engine.name(), engine.component(), false);
          String owner = domainOfNamespace.getOrDefault(secret.namespace(), domain.name());
          objects.add(new MeshObject(Phase.CONFIGURATION_AND_SECRETS, owner, engine.name(), placeholder,
              Optional.of(secret)));
        }
      }
    }
    checkUnique(objects);
    problems.throwIfAny(what());
    return new MeshModel(name, clusterDomain, domains, new MeshOutput(order(objects)));
  }

  EngineSite site(DomainModel domain, Engine engine) {
    return new DomainEngineContext(this, domain, engine);
  }

  String meshName() {
    return name;
  }

  String clusterDomain() {
    return clusterDomain;
  }

  private String what() {
    return "mesh '" + name + "'";
  }

  // ---------------------------------------------------------------- validation

  private void validateDeclaration() {
    Rules.dnsLabel(problems, "mesh.name", name, 63);
    Rules.dnsSubdomain(problems, "mesh.clusterDomain", clusterDomain);
    problems.check(!domains.isEmpty(), "mesh.domains", "[]", "a mesh needs at least one domain");
    Set<String> namespaces = new HashSet<>();
    int platforms = 0;
    for (DomainModel d : domains) {
      String field = "domains[" + d.name() + "]";
      Rules.dnsLabel(problems, field + ".name", d.name(), 63);
      Rules.dnsLabel(problems, field + ".namespace", d.namespace(), 63);
      if (byName.putIfAbsent(d.name(), d) != null) {
        problems.add(field + ".name", d.name(), "domain names must be unique in a mesh; it is declared twice");
      }
      if (!namespaces.add(d.namespace())) {
        problems.add(field + ".namespace", d.namespace(), "each domain needs a namespace of its own; "
            + "another domain already uses it");
      }
      if (d.platform()) {
        platforms++;
      }
      Set<String> engineNames = new HashSet<>();
      for (Engine engine : d.engines()) {
        String ef = field + ".engines[" + engine.name() + "]";
        Rules.dnsLabel(problems, ef + ".name", engine.name(), 40);
        if (!engineNames.add(engine.name())) {
          problems.add(ef + ".name", engine.name(), "engine names must be unique in a domain");
        }
        if (engine.podSecurityLevel() != io.kubemesh.core.engine.PodSecurityLevel.RESTRICTED) {
          problems.check(!engine.podSecurityReason().isBlank(), ef + ".podSecurityReason", "",
              "an engine that needs Pod Security '" + engine.podSecurityLevel().label()
                  + "' must say why");
        }
        engine.validate(problems, field + "." + engine.name());
      }
    }
    problems.check(platforms <= 1, "mesh.platform", platforms, "a mesh has at most one platform domain");
  }

  private void validateWiring() {
    for (DomainModel d : domains) {
      String field = "domains[" + d.name() + "]";
      for (Engine engine : sortedEngines(d)) {
        for (Capability<?> needed : sortedCaps(engine.requires())) {
          if (providerFor(d, needed).isEmpty()) {
            problems.add(field + "." + engine.name(), needed.name(),
                engine.name() + " in domain '" + d.name() + "' needs " + needed.name() + ": "
                    + needed.howToProvide() + " '" + d.name() + "'"
                    + (platform().isPresent() ? " or to the platform" : ""));
          }
        }
      }
      for (Capability<?> cap : allCapabilities(d)) {
        List<String> providers = d.engines().stream().filter(e -> e.provides().contains(cap))
            .map(Engine::name).sorted().toList();
        problems.check(providers.size() <= 1, field + ".engines", String.join(",", providers),
            "at most one engine per domain may provide " + cap.name());
      }
      Set<DataProductRead> seen = new HashSet<>();
      for (DataProductRead read : d.reads()) {
        String rf = field + ".reads";
        problems.check(seen.add(read), rf, read, "the same bucket is read twice");
        DomainModel source = byName.get(read.domain());
        if (source == null) {
          problems.add(rf, read, "there is no domain '" + read.domain() + "' in the mesh; domains are: "
              + String.join(", ", byName.keySet()));
          continue;
        }
        if (source == d) {
          problems.add(rf, read, "a domain already has read-write access to its own buckets");
          continue;
        }
        Rules.bucketName(problems, rf + ".bucket", read.bucket());
        if (ownProvider(source, ObjectStore.CAPABILITY).isEmpty()) {
          problems.add(rf, read, "domain '" + read.domain() + "' has no object store to read from");
        }
      }
    }
    if (!problems.isEmpty()) {
      return;
    }
    // Ask every provider for every consumer's view now, so bad references (unknown buckets) fail the build.
    for (DomainModel d : domains) {
      for (Engine engine : sortedEngines(d)) {
        for (Capability<?> needed : sortedCaps(engine.requires())) {
          tryProvide(d, needed);
        }
      }
      tryDataProducts(d);
    }
  }

  private void tryProvide(DomainModel consumer, Capability<?> cap) {
    try {
      provide(consumer, cap);
    } catch (KubemeshException e) {
      e.violations().forEach(v -> problems.add(v.field(), v.value(), v.rule()));
    }
  }

  private void tryDataProducts(DomainModel consumer) {
    try {
      dataProducts(consumer);
    } catch (KubemeshException e) {
      e.violations().forEach(v -> problems.add(v.field(), v.value(), v.rule()));
    }
  }

  private void checkUnique(List<MeshObject> objects) {
    Set<String> ids = new HashSet<>();
    // Node ports are cluster-wide: two services on one port would fail at apply time, half applied.
    Map<Integer, String> nodePorts = new HashMap<>();
    for (MeshObject o : objects) {
      if (o.object() instanceof io.fabric8.kubernetes.api.model.Service svc && svc.getSpec() != null
          && svc.getSpec().getPorts() != null) {
        for (io.fabric8.kubernetes.api.model.ServicePort port : svc.getSpec().getPorts()) {
          if (port.getNodePort() != null) {
            String previous = nodePorts.putIfAbsent(port.getNodePort(), o.id());
            problems.check(previous == null, "domains[" + o.domain() + "].engines[" + o.engine() + "].nodePort",
                port.getNodePort(), "node ports are cluster-wide and " + previous + " already uses it");
          }
        }
      }
      if (!ids.add(o.id())) {
        problems.add("domains[" + o.domain() + "].engines[" + o.engine() + "]", o.id(),
            "two objects have the same kind, namespace and name");
      }
      Rules.dnsSubdomain(problems, "object " + o.kind() + " name", o.name());
    }
  }

  // ---------------------------------------------------------------- capabilities

  Optional<DomainModel> platform() {
    return domains.stream().filter(DomainModel::platform).findFirst();
  }

  private static Optional<Engine> ownProvider(DomainModel d, Capability<?> cap) {
    return sortedEngines(d).stream().filter(e -> e.provides().contains(cap)).findFirst();
  }

  /** The domain and engine providing {@code cap} to {@code consumer}: its own, else the platform's. */
  Optional<Map.Entry<DomainModel, Engine>> providerFor(DomainModel consumer, Capability<?> cap) {
    Optional<Engine> own = ownProvider(consumer, cap);
    if (own.isPresent()) {
      return Optional.of(Map.entry(consumer, own.get()));
    }
    return platform().flatMap(p -> ownProvider(p, cap).map(e -> Map.entry(p, e)));
  }

  <T> Optional<T> provide(DomainModel consumer, Capability<T> cap) {
    return providerFor(consumer, cap).map(entry -> {
      DomainModel providerDomain = entry.getKey();
      Engine provider = entry.getValue();
      Engine.Consumer who = consumers(providerDomain, provider, cap).stream()
          .filter(c -> c.domain().equals(consumer.name())).findFirst()
          .orElseGet(() -> ownConsumer(consumer, providerDomain));
      String key = providerDomain.name() + "|" + cap.name() + "|" + consumer.name();
      return cap.type().cast(provided.computeIfAbsent(key, k -> provider.provide(cap, who, site(providerDomain, provider))));
    });
  }

  List<ObjectStore> dataProducts(DomainModel consumer) {
    Map<String, List<DataProductRead>> bySource = consumer.reads().stream()
        .collect(Collectors.groupingBy(DataProductRead::domain, TreeMap::new, Collectors.toList()));
    List<ObjectStore> views = new ArrayList<>();
    for (Map.Entry<String, List<DataProductRead>> e : bySource.entrySet()) {
      DomainModel source = byName.get(e.getKey());
      Engine provider = ownProvider(source, ObjectStore.CAPABILITY).orElseThrow();
      List<Grant> grants = e.getValue().stream()
          .map(r -> new Grant(consumer.name(), consumer.namespace(), r.bucket(), Grant.Access.READ_ONLY))
          .toList();
      String key = source.name() + "|reads|" + consumer.name();
      views.add((ObjectStore) provided.computeIfAbsent(key, k -> provider.provide(ObjectStore.CAPABILITY,
          new Engine.Consumer(consumer.name(), consumer.namespace(), grants), site(source, provider))));
    }
    return views;
  }

  /**
   * Everyone who uses what {@code provider} in {@code providerDomain} offers: the domain itself (read-write on
   * everything it owns), domains that fall back on the platform (a resource of their own), and readers.
   */
  List<Engine.Consumer> consumers(DomainModel providerDomain, Engine provider, Capability<?> cap) {
    List<Engine.Consumer> out = new ArrayList<>();
    out.add(ownConsumer(providerDomain, providerDomain));
    for (DomainModel d : domains) {
      if (d == providerDomain) {
        continue;
      }
      boolean needs = d.engines().stream().anyMatch(e -> e.requires().contains(cap));
      if (needs && ownProvider(d, cap).isEmpty() && providerDomain.platform()) {
        out.add(ownConsumer(d, providerDomain));
      }
      if (cap.equals(ObjectStore.CAPABILITY)) {
        List<Grant> reads = d.reads().stream().filter(r -> r.domain().equals(providerDomain.name()))
            .map(r -> new Grant(d.name(), d.namespace(), r.bucket(), Grant.Access.READ_ONLY)).toList();
        if (!reads.isEmpty()) {
          out.add(new Engine.Consumer(d.name(), d.namespace(), reads));
        }
      }
    }
    // A domain can appear twice (it uses the platform's store and also reads from it): one consumer each.
    Map<String, Engine.Consumer> merged = new TreeMap<>();
    for (Engine.Consumer c : out) {
      merged.merge(c.domain(), c, (a, b) -> {
        List<Grant> grants = new ArrayList<>(a.grants());
        grants.addAll(b.grants());
        return new Engine.Consumer(a.domain(), a.namespace(), grants);
      });
    }
    return new ArrayList<>(merged.values());
  }

  /** A domain using its own provider gets everything ({@code *}); one using the platform's, a resource named after it. */
  private static Engine.Consumer ownConsumer(DomainModel consumer, DomainModel providerDomain) {
    String resource = consumer == providerDomain ? "*" : consumer.name();
    return new Engine.Consumer(consumer.name(), consumer.namespace(),
        List.of(new Grant(consumer.name(), consumer.namespace(), resource, Grant.Access.READ_WRITE)));
  }

  /** Object stores in other namespaces that this domain's pods talk to: its egress allowances. */
  private List<ObjectStore> storesReachedFrom(DomainModel d) {
    List<ObjectStore> stores = new ArrayList<>(dataProducts(d));
    boolean usesStore = d.engines().stream().anyMatch(e -> e.requires().contains(ObjectStore.CAPABILITY));
    if (usesStore) {
      provide(d, ObjectStore.CAPABILITY).ifPresent(stores::add);
    }
    stores.removeIf(s -> s.providerNamespace().equals(d.namespace()));
    return stores;
  }

  /** This domain's own store and the other namespaces that use it: its ingress allowances. */
  private Optional<DomainBaseline.StoreIngress> storeIngress(DomainModel d) {
    return ownProvider(d, ObjectStore.CAPABILITY).map(p -> {
      List<String> namespaces = consumers(d, p, ObjectStore.CAPABILITY).stream()
          .map(Engine.Consumer::namespace).filter(ns -> !ns.equals(d.namespace())).sorted().toList();
      return new DomainBaseline.StoreIngress(provide(d, ObjectStore.CAPABILITY).orElseThrow(), namespaces);
    });
  }

  // ---------------------------------------------------------------- output helpers

  private static PodSecurity podSecurity(DomainModel d) {
    PodSecurity ps = PodSecurity.restricted();
    for (Engine e : sortedEngines(d)) {
      ps = ps.loosen(e.podSecurityLevel(), e.name() + ": " + e.podSecurityReason());
    }
    return ps;
  }

  static List<Engine> sortedEngines(DomainModel d) {
    return d.engines().stream().sorted(Comparator.comparing(Engine::name)).toList();
  }

  private static List<Capability<?>> sortedCaps(Set<Capability<?>> caps) {
    return caps.stream().sorted(Comparator.comparing(Capability::name)).collect(Collectors.toList());
  }

  private static Set<Capability<?>> allCapabilities(DomainModel d) {
    Set<Capability<?>> all = new HashSet<>();
    d.engines().forEach(e -> all.addAll(e.provides()));
    return all;
  }

  private static String namespaceOf(HasMetadata object, DomainModel domain) {
    String ns = object.getMetadata().getNamespace();
    return ns == null ? domain.namespace() : ns;
  }

  private static Secret placeholder(GeneratedSecret secret) {
    String ids = secret.data().entrySet().stream()
        .filter(e -> e.getValue() instanceof SecretValue.Random)
        .map(e -> e.getKey() + "=" + ((SecretValue.Random) e.getValue()).id())
        .collect(Collectors.joining(","));
    return new SecretBuilder()
        .withNewMetadata().withName(secret.name()).withNamespace(secret.namespace())
        .addToAnnotations(SECRET_VALUES_ANNOTATION, ids).endMetadata()
        .withType(secret.type())
        .build();
  }

  private List<MeshObject> order(List<MeshObject> objects) {
    Map<String, Integer> domainOrder = new HashMap<>();
    for (int i = 0; i < domains.size(); i++) {
      domainOrder.put(domains.get(i).name(), i);
    }
    return objects.stream()
        .sorted(Comparator.comparing(MeshObject::phase)
            .thenComparing(o -> domainOrder.getOrDefault(o.domain(), Integer.MAX_VALUE))
            .thenComparing(o -> KindOrder.rank(o.kind()))
            .thenComparing(MeshObject::kind)
            .thenComparing(MeshObject::namespace)
            .thenComparing(MeshObject::name))
        .toList();
  }
}
