package io.kubemesh.minio;

import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Capability;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.engine.EngineSite;
import io.kubemesh.core.engine.Grant;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import io.kubemesh.core.validation.Problems;
import io.kubemesh.core.validation.Rules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MinIO as an engine: provides {@link ObjectStore#CAPABILITY} and emits the server, its credentials, one user per
 * consuming domain and the Job that sets buckets, users and policies up.
 *
 * <p>How the parts fit: the core asks {@link #provide} once per consuming domain, before anything is emitted; the
 * answer names the service by DNS, the buckets the consumer was granted and the Secret that will hold its
 * credentials in its own namespace. {@link #emit} then sees the same consumers through
 * {@link EngineContext#consumers} and emits, for each, that Secret (a generated secret key shared by id with the
 * Secret the setup Job reads in MinIO's namespace) and a policy in the setup ConfigMap. Both sides derive names
 * from {@link Access}, so they cannot disagree.
 */
final class MinioEngine implements Engine {
  static final String NAME = "minio";
  static final int API_PORT = 9000;
  static final int CONSOLE_PORT = 9001;
  static final String ROOT_USER = "kubemesh_root";
  static final int KEY_LENGTH = 40;
  // MinIO's own rule for a region name (internal/config/config.go, validRegionRegex).
  private static final Pattern REGION = Pattern.compile("[a-zA-Z][a-zA-Z0-9-_]+");

  private final Minio settings;

  MinioEngine(Minio settings) {
    this.settings = settings;
  }

  Minio settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String component() {
    return "object-store";
  }

  @Override
  public Set<Capability<?>> provides() {
    return Set.of(ObjectStore.CAPABILITY);
  }

  @Override
  public void validate(Problems problems, String field) {
    List<String> buckets = settings.buckets();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < buckets.size(); i++) {
      String f = field + ".buckets[" + i + "]";
      if (Rules.bucketName(problems, f, buckets.get(i))) {
        problems.check(seen.add(buckets.get(i)), f, buckets.get(i), "is declared twice");
      }
    }
    if (settings.isDistributed()) {
      problems.check(settings.pods() >= 4, field + ".pods", settings.pods(),
          "distributed MinIO needs at least 4 pods, so that erasure coding keeps quorum when a pod is down; "
              + "leave distributed(...) out for a single standalone server");
      problems.check(settings.localNode().isEmpty(), field + ".localVolume", settings.localNode().orElse(""),
          "a local volume is pinned to one node and holds one drive; use it with a standalone server");
    } else {
      problems.check(settings.drivesPerPod() == 1, field + ".drivesPerPod", settings.drivesPerPod(),
          "a standalone server has one drive; drivesPerPod applies with distributed(...)");
    }
    Rules.atLeast(problems, field + ".drivesPerPod", settings.drivesPerPod(), 1);
    Rules.positiveQuantity(problems, field + ".storageSize", settings.storageSize());
    settings.storageClass().ifPresent(sc -> Rules.dnsSubdomain(problems, field + ".storageClass", sc));
    if (settings.localNode().isPresent()) {
      problems.check(settings.storageClass().isEmpty(), field + ".storageClass", settings.storageClass().orElse(""),
          "a local volume comes with its own no-provisioner storage class; leave storageClass(...) out");
      problems.check(!settings.localNode().get().isBlank(), field + ".localVolume.node", settings.localNode().get(),
          "must name the node that holds the volume");
      String path = settings.localPath().orElse("");
      problems.check(path.startsWith("/") && !path.contains(".."), field + ".localVolume.path", path,
          "must be an absolute path on the node, without '..'");
    }
    Rules.pinnedImage(problems, field + ".image", settings.image());
    Rules.pinnedImage(problems, field + ".clientImage", settings.clientImage());
    problems.check(REGION.matcher(settings.region()).matches(), field + ".region", settings.region(),
        "must be a region name such as us-east-1: a letter, then letters, digits, '-' or '_'");
    Rules.positiveQuantity(problems, field + ".resources.cpuRequest", settings.cpuRequest());
    Rules.positiveQuantity(problems, field + ".resources.memoryRequest", settings.memoryRequest());
    Rules.positiveQuantity(problems, field + ".resources.cpuLimit", settings.cpuLimit());
    Rules.positiveQuantity(problems, field + ".resources.memoryLimit", settings.memoryLimit());
  }

  @Override
  public <T> T provide(Capability<T> capability, Consumer consumer, EngineSite site) {
    if (!capability.equals(ObjectStore.CAPABILITY)) {
      return Engine.super.provide(capability, consumer, site);
    }
    Access access = access(consumer, site.domain());
    List<String> buckets = new ArrayList<>(access.readWrite());
    access.readOnly().stream().filter(b -> !buckets.contains(b)).forEach(buckets::add);
    ObjectStore store = ObjectStore.builder()
        .host(site.serviceHost(NAME))
        .port(API_PORT)
        .tls(false)
        .region(settings.region())
        .pathStyle(true)
        .buckets(buckets)
        .access(access.readWrite().isEmpty() ? Grant.Access.READ_ONLY : Grant.Access.READ_WRITE)
        .providerDomain(site.domain())
        .providerNamespace(site.namespace())
        .providerPodLabels(site.selectorLabels())
        .credentialsSecret(access.credentialsSecret())
        .build();
    return capability.type().cast(store);
  }

  @Override
  public void emit(EngineContext ctx) {
    List<Access> accesses = accesses(ctx.consumers(ObjectStore.CAPABILITY), ctx.domain());
    checkNoSharedBuckets(accesses, ctx.domain());

    Set<String> buckets = new LinkedHashSet<>(ownBuckets(ctx.domain()));
    accesses.forEach(a -> buckets.addAll(a.readWrite()));

    ctx.add(GeneratedSecret.named(ctx.namespace(), MinioObjects.ROOT_SECRET)
        .with("MINIO_ROOT_USER", SecretValue.literal(ROOT_USER))
        .with("MINIO_ROOT_PASSWORD", SecretValue.random(ctx.domain() + "/minio/root-password", KEY_LENGTH)));

    GeneratedSecret userKeys = GeneratedSecret.named(ctx.namespace(), MinioObjects.USERS_SECRET);
    List<MinioSetup.User> users = new ArrayList<>();
    for (Access a : accesses) {
      SecretValue secretKey = SecretValue.random(a.secretKeyId(), KEY_LENGTH);
      userKeys = userKeys.with(a.user(), secretKey);
      ctx.add(GeneratedSecret.named(a.consumerNamespace(), a.credentialsSecret())
          .with("AWS_ACCESS_KEY_ID", SecretValue.literal(a.user()))
          .with("AWS_SECRET_ACCESS_KEY", secretKey));
      users.add(new MinioSetup.User(a.user(), a.policy(), a.readWrite(), a.readOnly()));
    }
    ctx.add(userKeys);

    MinioSetup setup = new MinioSetup(ctx.domain(), List.copyOf(buckets), users);
    new MinioObjects(settings, ctx).emit(setup);
  }

  // ------------------------------------------------------------------ buckets and access

  /** The domain's own bucket: its name, or {@code <name>-data} when the name is not a valid bucket name. */
  static String homeBucket(String domain) {
    return Rules.isBucketName(domain) ? domain : domain + "-data";
  }

  /** The buckets this MinIO declares for its own domain, the home bucket first. */
  List<String> ownBuckets(String domain) {
    Set<String> buckets = new LinkedHashSet<>();
    buckets.add(homeBucket(domain));
    buckets.addAll(settings.buckets());
    return List.copyOf(buckets);
  }

  /** What one consuming domain may do, merged over all of its grants. */
  record Access(String providerDomain, String consumerDomain, String consumerNamespace, List<String> readWrite,
      List<String> readOnly) {

    /** The MinIO user of the consuming domain; MinIO wants at least 3 characters. */
    String user() {
      return consumerDomain.length() >= 3 ? consumerDomain : consumerDomain + "-user";
    }

    String policy() {
      return "kubemesh-" + consumerDomain;
    }

    /** The Secret in the consumer's namespace; the domain's own is {@code minio-access}. */
    String credentialsSecret() {
      return consumerDomain.equals(providerDomain) ? "minio-access" : "minio-" + providerDomain + "-access";
    }

    /** Shared by the consumer's Secret and the setup Job's, so both get the same generated key. */
    String secretKeyId() {
      return providerDomain + "/minio/users/" + consumerDomain + "/secret-key";
    }
  }

  Access access(Consumer consumer, String providerDomain) {
    return accesses(List.of(consumer), providerDomain).get(0);
  }

  private List<Access> accesses(List<Consumer> consumers, String providerDomain) {
    Map<String, Set<String>> readWrite = new LinkedHashMap<>();
    Map<String, Set<String>> readOnly = new LinkedHashMap<>();
    Map<String, String> namespaces = new LinkedHashMap<>();
    List<String> declared = ownBuckets(providerDomain);
    for (Consumer c : consumers) {
      namespaces.putIfAbsent(c.domain(), c.namespace());
      Set<String> rw = readWrite.computeIfAbsent(c.domain(), d -> new LinkedHashSet<>());
      Set<String> ro = readOnly.computeIfAbsent(c.domain(), d -> new LinkedHashSet<>());
      for (Grant g : c.grants()) {
        if (g.access() == Grant.Access.READ_WRITE) {
          // "*" is the provider's own domain; any other name is a domain that keeps a bucket of its own here.
          rw.addAll(g.resource().equals("*") ? declared : List.of(homeBucket(g.resource())));
        } else if (declared.contains(g.resource())) {
          ro.add(g.resource());
        } else {
          throw KubemeshException.invalid("domains[" + c.domain() + "].reads", providerDomain + "/" + g.resource(),
              "domain '" + providerDomain + "' has no bucket '" + g.resource() + "'; its buckets are: "
                  + String.join(", ", declared));
        }
      }
    }
    List<Access> out = new ArrayList<>();
    readWrite.forEach((domain, rw) -> {
      List<String> ro = readOnly.get(domain).stream().filter(b -> !rw.contains(b)).toList();
      out.add(new Access(providerDomain, domain, namespaces.get(domain), List.copyOf(rw), ro));
    });
    return out;
  }

  /** A domain that keeps its bucket in this MinIO must not get a bucket this domain declared for itself. */
  private void checkNoSharedBuckets(List<Access> accesses, String providerDomain) {
    Problems problems = new Problems();
    List<String> declared = ownBuckets(providerDomain);
    for (Access a : accesses) {
      if (a.consumerDomain().equals(providerDomain)) {
        continue;
      }
      for (String bucket : a.readWrite()) {
        problems.check(!declared.contains(bucket), "domains[" + providerDomain + "]." + NAME + ".buckets", bucket,
            "is also the bucket of domain '" + a.consumerDomain() + "', which keeps its data in this MinIO; "
                + "choose another name");
      }
    }
    problems.throwIfAny("MinIO of domain '" + providerDomain + "'");
  }
}
