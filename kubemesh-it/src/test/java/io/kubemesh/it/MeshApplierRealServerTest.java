package io.kubemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.apply.ApplyListener;
import io.kubemesh.core.apply.ApplyOptions;
import io.kubemesh.core.apply.ApplyReport;
import io.kubemesh.core.apply.DestroyOptions;
import io.kubemesh.core.apply.MeshApplier;
import io.kubemesh.core.apply.ObjectResult;
import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.core.apply.Plan;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.Phase;
import io.kubemesh.testing.KubemeshCluster;
import io.kubemesh.it.ItEngines.Web;
import io.kubemesh.it.ItEngines.Widgets;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The applier against a real kube-apiserver with etcd, controller-manager, scheduler and kwok nodes. */
@KubemeshCluster
class MeshApplierRealServerTest {
  private static final ApplyOptions QUIET = ApplyOptions.builder().quiet().readyTimeout(Duration.ofMinutes(2)).build();

  private static MeshModel web(String mesh, String domain, Web engine) {
    return ItEngines.oneDomain(mesh, domain, List.of(engine));
  }

  private static String password(KubernetesClient client, String ns, String name) {
    Secret s = client.secrets().inNamespace(ns).withName(name).get();
    return s.getData().get("password");
  }

  @Test
  void appliesInPhasesWaitsUntilReadyAndReappliesWithoutChangesOrRotation(KubernetesClient client) {
    MeshApplier applier = MeshApplier.on(client, QUIET);
    MeshModel mesh = web("it-apply", "it-apply-a", new Web("web"));

    ApplyReport first = applier.apply(mesh);

    assertThat(first.succeeded()).isTrue();
    assertThat(first.objects(Outcome.CREATED)).hasSize(mesh.output().objects().size());
    assertThat(first.phaseDurations()).containsKeys(Phase.NAMESPACES_AND_CRDS, Phase.WORKLOADS);
    var deployment = client.apps().deployments().inNamespace("it-apply-a").withName("web").get();
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(1);
    assertThat(deployment.getMetadata().getLabels()).containsEntry("applyset.kubernetes.io/part-of",
        MeshApplier.applySetId("it-apply"));
    Secret parent = client.secrets().inNamespace("kubemesh-system").withName("kubemesh-it-apply").get();
    assertThat(parent.getMetadata().getLabels()).containsEntry("applyset.kubernetes.io/id",
        MeshApplier.applySetId("it-apply"));
    assertThat(parent.getMetadata().getAnnotations()).containsEntry("applyset.kubernetes.io/tooling", "kubemesh/v1")
        .containsEntry("applyset.kubernetes.io/additional-namespaces", "it-apply-a");
    assertThat(parent.getMetadata().getAnnotations().get("applyset.kubernetes.io/contains-group-kinds"))
        .contains("Deployment.apps", "Namespace", "Secret", "NetworkPolicy.networking.k8s.io");
    String password = password(client, "it-apply-a", "web-creds");
    assertThat(password).isNotBlank();
    assertThat(first.toString()).doesNotContain(password);

    ApplyReport again = MeshApplier.on(client, QUIET).apply(mesh);

    assertThat(again.objects(Outcome.UNCHANGED)).hasSize(mesh.output().objects().size());
    long kinds = mesh.output().countByKind().size();
    // one GET of the parent, one LIST per kind, nothing else
    assertThat(again.requests()).isLessThanOrEqualTo(kinds + 1).isLessThan(first.requests());
    assertThat(password(client, "it-apply-a", "web-creds")).isEqualTo(password);

    // a change configures only what changed, and keeps the generated value
    ApplyReport changed = applier.apply(web("it-apply", "it-apply-a", new Web("web").withSetting("v2")));
    assertThat(changed.objects(Outcome.CONFIGURED)).extracting(ObjectResult::id)
        .containsExactly("ConfigMap it-apply-a/web-config");
    assertThat(password(client, "it-apply-a", "web-creds")).isEqualTo(password);
    System.out.println("first apply: " + first.summary() + "\nno-op re-apply: " + again.summary());
  }

  @Test
  void planShowsCreatedChangedUnchangedAndPrunedWithoutChangingAnything(KubernetesClient client) {
    MeshApplier applier = MeshApplier.on(client, QUIET);
    MeshModel v1 = web("it-plan", "it-plan-a", new Web("web").withExtra(true));

    Plan fresh = applier.plan(v1);
    assertThat(fresh.created()).hasSize(v1.output().objects().size());
    assertThat(client.namespaces().withName("it-plan-a").get()).isNull();

    applier.apply(v1);
    MeshModel v2 = web("it-plan", "it-plan-a", new Web("web").withSetting("v2").withExtra(false));
    Plan plan = applier.plan(v2);

    assertThat(plan.changed()).extracting(Plan.Change::id).containsExactly("ConfigMap it-plan-a/web-config");
    assertThat(plan.changed().get(0).fields()).containsExactly("data.setting: v1 -> v2");
    assertThat(plan.pruned()).extracting(Plan.Change::id).containsExactly("ConfigMap it-plan-a/web-extra");
    assertThat(plan.unchanged()).hasSize(v2.output().objects().size() - 1);
    assertThat(plan.summary()).contains("1 to change").contains("1 to prune");
    assertThat(client.configMaps().inNamespace("it-plan-a").withName("web-config").get().getData())
        .containsEntry("setting", "v1");
    assertThat(client.configMaps().inNamespace("it-plan-a").withName("web-extra").get()).isNotNull();
  }

  @Test
  void prunesWhatTheMeshNoLongerDeclaresKeepsDataAndNeverTouchesForeignObjects(KubernetesClient client) {
    MeshApplier applier = MeshApplier.on(client, QUIET);
    MeshModel two = MeshModel.named("it-prune")
        .domain(io.kubemesh.core.model.DomainModel.builder().name("it-prune-a").addEngines(new Web("web").withExtra(true)).build())
        .domain(io.kubemesh.core.model.DomainModel.builder().name("it-prune-b").addEngines(new Web("web")).build())
        .build();
    applier.apply(two);
    // a look-alike: same mesh labels, even an ApplySet label of another set, but not kubemesh's
    for (String ns : List.of("it-prune-a", "it-prune-b")) {
      client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("foreign")
          .addToLabels("kubemesh.io/mesh", "it-prune").addToLabels("kubemesh.io/domain", ns)
          .addToLabels("app.kubernetes.io/managed-by", "kubemesh")
          .addToLabels("applyset.kubernetes.io/part-of", MeshApplier.applySetId("other"))
          .endMetadata().addToData("x", "y").build()).create();
    }

    ApplyReport report = applier.apply(web("it-prune", "it-prune-a", new Web("web")));

    assertThat(report.objects(Outcome.PRUNED)).extracting(ObjectResult::id)
        .contains("ConfigMap it-prune-a/web-extra", "Deployment it-prune-b/web", "ConfigMap it-prune-b/web-config");
    assertThat(report.objects(Outcome.KEPT)).extracting(ObjectResult::id)
        .containsExactlyInAnyOrder("Secret it-prune-b/web-creds", "PersistentVolumeClaim it-prune-b/web-data",
            "Namespace it-prune-b");
    assertThat(client.configMaps().inNamespace("it-prune-a").withName("web-extra").get()).isNull();
    assertThat(client.apps().deployments().inNamespace("it-prune-b").withName("web").get()).isNull();
    assertThat(client.secrets().inNamespace("it-prune-b").withName("web-creds").get()).isNotNull();
    assertThat(client.configMaps().inNamespace("it-prune-a").withName("foreign").get()).isNotNull();
    assertThat(client.configMaps().inNamespace("it-prune-b").withName("foreign").get()).isNotNull();

    ApplyReport destroy = applier.destroy(web("it-prune", "it-prune-a", new Web("web")), DestroyOptions.purge());
    assertThat(destroy.objects(Outcome.KEPT)).extracting(ObjectResult::id)
        .containsExactlyInAnyOrder("Namespace it-prune-a", "Namespace it-prune-b");
    assertThat(destroy.objects(Outcome.KEPT)).allSatisfy(r -> assertThat(r.detail()).contains("ConfigMap foreign"));
    assertThat(client.configMaps().inNamespace("it-prune-a").withName("foreign").get()).isNotNull();
    assertThat(client.secrets().inNamespace("it-prune-b").withName("web-creds").get()).isNull();
  }

  @Test
  void destroyKeepsDataUnlessPurgedAndReportsWhy(KubernetesClient client) {
    MeshApplier applier = MeshApplier.on(client, QUIET);
    MeshModel mesh = web("it-destroy", "it-destroy-a", new Web("web"));
    applier.apply(mesh);
    String password = password(client, "it-destroy-a", "web-creds");

    ApplyReport kept = applier.destroy(mesh);

    assertThat(kept.objects(Outcome.DELETED)).extracting(ObjectResult::id)
        .contains("Deployment it-destroy-a/web", "ConfigMap it-destroy-a/web-config", "Service it-destroy-a/web");
    assertThat(kept.objects(Outcome.KEPT)).extracting(ObjectResult::id).containsExactlyInAnyOrder(
        "Secret it-destroy-a/web-creds", "PersistentVolumeClaim it-destroy-a/web-data", "Namespace it-destroy-a");
    assertThat(kept.objects(Outcome.KEPT)).filteredOn(r -> r.kind().equals("Namespace")).first()
        .satisfies(r -> assertThat(r.detail()).contains("holds kept objects"));
    assertThat(client.apps().deployments().inNamespace("it-destroy-a").withName("web").get()).isNull();

    // applying again brings the same credentials back into use
    applier.apply(mesh);
    assertThat(password(client, "it-destroy-a", "web-creds")).isEqualTo(password);

    ApplyReport purged = applier.destroy(mesh, DestroyOptions.purge());
    assertThat(purged.objects(Outcome.KEPT)).isEmpty();
    assertThat(client.namespaces().withName("it-destroy-a").get()).isNull();
    assertThat(client.secrets().inNamespace("kubemesh-system").withName("kubemesh-it-destroy").get()).isNull();
  }

  @Test
  void crdIsEstablishedBeforeItsCustomResourcesAreApplied(KubernetesClient client) {
    MeshApplier applier = MeshApplier.on(client, QUIET);
    MeshModel mesh = ItEngines.oneDomain("it-crd", "it-crd-a", List.of(new Widgets("it.kubemesh.io")));

    ApplyReport report = applier.apply(mesh);

    assertThat(report.objects(Outcome.CREATED)).extracting(ObjectResult::id)
        .contains("CustomResourceDefinition widgets.it.kubemesh.io", "Widget it-crd-a/first");
    assertThat(client.genericKubernetesResources("it.kubemesh.io/v1", "Widget").inNamespace("it-crd-a")
        .withName("first").get()).isNotNull();
    assertThat(applier.apply(mesh).objects(Outcome.UNCHANGED)).hasSize(mesh.output().objects().size());

    ApplyReport destroy = applier.destroy(mesh);
    assertThat(destroy.objects(Outcome.KEPT)).extracting(ObjectResult::id)
        .containsExactly("CustomResourceDefinition widgets.it.kubemesh.io");
    applier.destroy(mesh, DestroyOptions.purge());
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("widgets.it.kubemesh.io").get())
        .isNull();
  }

  @Test
  void conflictNamesTheOtherManagerAndForcingIsExplicit(KubernetesClient client) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("it-conflict-a").endMetadata()
        .build()).create();
    ConfigMap theirs = new ConfigMapBuilder().withNewMetadata().withName("web-config").withNamespace("it-conflict-a")
        .endMetadata().addToData("setting", "helm-owned").build();
    client.resource(theirs).patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager("helm").build());
    MeshModel mesh = web("it-conflict", "it-conflict-a", new Web("web"));

    assertThatThrownBy(() -> MeshApplier.on(client, QUIET).apply(mesh))
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("ConfigMap it-conflict-a/web-config")
        .hasMessageContaining("conflict with manager 'helm'")
        .hasMessageContaining(".data.setting")
        .hasMessageContaining("not applied");

    ApplyReport forced = MeshApplier.on(client, ApplyOptions.builder().quiet().forceConflicts(true).build()).apply(mesh);
    assertThat(forced.succeeded()).isTrue();
    assertThat(client.configMaps().inNamespace("it-conflict-a").withName("web-config").get().getData())
        .containsEntry("setting", "v1");
    MeshApplier.on(client, QUIET).destroy(mesh, DestroyOptions.purge());
  }

  @Test
  void readinessTimeoutSaysWhy(KubernetesClient client) {
    MeshModel mesh = web("it-timeout", "it-timeout-a", new Web("web").unschedulable());
    ApplyOptions options = ApplyOptions.builder().quiet()
        .readyTimeout("Deployment", "it-timeout-a", "web", Duration.ofSeconds(6)).build();

    assertThatThrownBy(() -> MeshApplier.on(client, options).apply(mesh))
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("Deployment it-timeout-a/web: not ready after 6.0s")
        .hasMessageContaining("Unschedulable")
        .hasMessageContaining("FailedScheduling");

    ApplyReport skipped = MeshApplier.on(client, ApplyOptions.builder().quiet().skipWaits().build()).apply(mesh);
    assertThat(skipped.succeeded()).isTrue();
    MeshApplier.on(client, QUIET).destroy(mesh, DestroyOptions.purge());
  }

  /** A Job that fails (here: its pod can never be scheduled before the deadline) fails the apply, saying why. */
  @Test
  void aFailedJobFailsTheApplyWithItsReason(KubernetesClient client) {
    io.kubemesh.core.engine.Engine failing = new io.kubemesh.core.engine.Engine() {
      @Override
      public String name() {
        return "batch";
      }

      @Override
      public void emit(io.kubemesh.core.engine.EngineContext ctx) {
        ctx.add(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
            .withNewMetadata().withName("load").endMetadata()
            .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(3L)
            .withNewTemplate().withNewMetadata().withLabels(ctx.selectorLabels()).endMetadata()
            .withNewSpec().withRestartPolicy("Never")
            .addToNodeSelector("kubemesh.io/no-such-node", "true")
            .addNewContainer().withName("load").withImage("example.org/load:1.0").endContainer()
            .endSpec().endTemplate().endSpec().build());
      }
    };
    MeshModel mesh = ItEngines.oneDomain("it-job", "it-job-a", List.of(failing));
    try (MeshApplier applier = MeshApplier.on(client, QUIET)) {
      assertThatThrownBy(() -> applier.apply(mesh))
          .isInstanceOf(KubemeshException.class)
          .hasMessageContaining("failed in phase 50-jobs")
          .hasMessageContaining("Job it-job-a/load")
          .hasMessageContaining("Job failed: DeadlineExceeded");
      applier.destroy(mesh, DestroyOptions.purge());
    }
  }

  /**
   * Connections reset by the network (a relay cut in front of the API server) rather than the server stopping:
   * in-flight requests die with a reset. {@link ApiServerRestartRealServerTest} stops the real server.
   */
  @Test
  void connectionsCutMidApplyFailClearlyAndTheNextApplyConverges(KubernetesClient admin) throws Exception {
    URL url = admin.getMasterUrl();
    MeshModel mesh = MeshModel.named("it-fault")
        .domain(io.kubemesh.core.model.DomainModel.builder().name("it-fault-a").addEngines(new Web("web")).build())
        .domain(io.kubemesh.core.model.DomainModel.builder().name("it-fault-b").addEngines(new Web("web")).build())
        .build();
    try (FlakyProxy proxy = new FlakyProxy(url.getHost(), url.getPort());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
            .withMasterUrl("https://127.0.0.1:" + proxy.port()).withRequestRetryBackoffLimit(1)
            .withRequestRetryBackoffInterval(50).build()).build()) {
      ApplyListener cutAfterSecrets = new ApplyListener() {
        @Override
        public void phaseDone(String op, Phase phase, Duration took, int done, int total) {
          if (phase == Phase.CONFIGURATION_AND_SECRETS) {
            proxy.stop();
          }
        }
      };
      MeshApplier applier = MeshApplier.on(client, ApplyOptions.builder().listener(cutAfterSecrets).build());

      assertThatThrownBy(() -> applier.apply(mesh))
          .isInstanceOf(KubemeshException.class)
          .hasMessageContaining("failed in phase 30-storage")
          .hasMessageContaining("unreachable")
          .hasMessageContaining("applied (")
          .hasMessageContaining("Secret it-fault-a/web-creds")
          .hasMessageContaining("not applied (")
          .hasMessageContaining("Deployment it-fault-b/web");
      String password = password(admin, "it-fault-a", "web-creds");

      proxy.start();
      ApplyReport converged = MeshApplier.on(client, QUIET).apply(mesh);

      assertThat(converged.succeeded()).isTrue();
      assertThat(converged.objects(Outcome.UNCHANGED)).extracting(ObjectResult::id)
          .contains("Secret it-fault-a/web-creds", "ConfigMap it-fault-b/web-config");
      assertThat(password(admin, "it-fault-a", "web-creds")).isEqualTo(password);
      Set<String> members = admin.configMaps().inAnyNamespace()
          .withLabel("applyset.kubernetes.io/part-of", MeshApplier.applySetId("it-fault")).list().getItems().stream()
          .map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()).collect(Collectors.toSet());
      assertThat(members).containsExactlyInAnyOrder("it-fault-a/web-config", "it-fault-b/web-config");
      MeshApplier.on(client, QUIET).destroy(mesh, DestroyOptions.purge());
    }
  }

  @Test
  void badInputGivesClearErrors(KubernetesClient admin) {
    MeshModel mesh = web("it-bad", "it-bad-a", new Web("web"));
    Config nobody = new ConfigBuilder(admin.getConfiguration()).withImpersonateUsername("nobody").build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(nobody).build()) {
      assertThatThrownBy(() -> MeshApplier.on(client, QUIET).apply(mesh))
          .isInstanceOf(KubemeshException.class)
          .hasMessageContaining("forbidden (HTTP 403)")
          .hasMessageContaining("User \"nobody\" cannot get resource \"secrets\"");
    }
    Config nowhere = new ConfigBuilder(admin.getConfiguration()).withMasterUrl("https://127.0.0.1:1")
        .withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(nowhere).build()) {
      assertThatThrownBy(() -> MeshApplier.on(client, QUIET).plan(mesh))
          .isInstanceOf(KubemeshException.class)
          .hasMessageContaining("https://127.0.0.1:1")
          .hasMessageContaining("unreachable");
    }
    assertThatThrownBy(() -> MeshApplier.on(null)).isInstanceOf(KubemeshException.class);
    assertThat(Map.of()).isEmpty();
  }

  static List<HasMetadata> none() {
    return List.of();
  }
}
