package io.kubemesh.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.output.Phase;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyUnitTest {
  private final KubernetesSerialization ser = new KubernetesSerialization();

  /** A config map and a generated secret. */
  record Small(String value) implements Engine {
    @Override
    public String name() {
      return "small";
    }

    @Override
    public void emit(EngineContext ctx) {
      ctx.add(new ConfigMapBuilder().withNewMetadata().withName("small").endMetadata().addToData("v", value).build());
      ctx.add(GeneratedSecret.named(ctx.namespace(), "small-creds")
          .with("user", SecretValue.literal("admin"))
          .with("password", SecretValue.random(ctx.domain() + "/small/password", 24)));
    }
  }

  static MeshModel mesh(String value) {
    return MeshModel.named("unit").domain(DomainModel.builder().name("alpha").addEngines(new Small(value)).build())
        .build();
  }

  @Test
  void applySetIdIsKubectls() throws Exception {
    // A parent id kubectl v0.30 computed, as published in a public manifest (sgs.snucse.org WorkspaceSet "sgs").
    assertThat(ApplySet.id("sgs", "", "WorkspaceSet", "sgs.snucse.org")).startsWith("applyset-eGaq9sV3nwMTqoxo")
        .endsWith("-v1");
    byte[] h = MessageDigest.getInstance("SHA-256")
        .digest("kubemesh-acme.kubemesh-system.Secret.".getBytes(StandardCharsets.UTF_8));
    assertThat(new ApplySet("acme").id())
        .isEqualTo("applyset-" + Base64.getUrlEncoder().withoutPadding().encodeToString(h) + "-v1")
        .hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void parentListsGroupKindsAndOtherNamespacesSorted() {
    var parent = new ApplySet("acme").parent(List.of("Deployment.apps", "ConfigMap", "Namespace"),
        List.of("sales", "kubemesh-system", "", "marketing"));
    assertThat(parent.getMetadata().getAnnotations())
        .containsEntry(ApplySet.CONTAINS_GROUP_KINDS, "ConfigMap,Deployment.apps,Namespace")
        .containsEntry(ApplySet.ADDITIONAL_NAMESPACES, "marketing,sales")
        .containsEntry(ApplySet.TOOLING, "kubemesh/v1");
    assertThat(parent.getMetadata().getLabels()).containsEntry(ApplySet.ID_LABEL, new ApplySet("acme").id());
    assertThat(ApplySet.groupKinds(parent)).containsExactly("ConfigMap", "Deployment.apps", "Namespace");
    assertThat(ApplySet.namespaces(parent)).containsExactlyInAnyOrder("kubemesh-system", "marketing", "sales");
    assertThat(ApplySet.same(parent, parent)).isTrue();
  }

  @Test
  void desiredObjectsCarryTheApplySetLabelAndAStableHash() {
    ApplyOptions o = ApplyOptions.builder().quiet().build();
    ApplySet set = new ApplySet("unit");
    List<Desired> a = MeshApplier.desired(mesh("one"), set, o, ser);
    List<Desired> b = MeshApplier.desired(mesh("one"), set, o, ser);
    List<Desired> c = MeshApplier.desired(mesh("two"), set, o, ser);
    assertThat(a).allSatisfy(d -> assertThat(d.object().getMetadata().getLabels())
        .containsEntry(ApplySet.PART_OF, set.id()));
    assertThat(a).extracting(Desired::hash).isEqualTo(b.stream().map(Desired::hash).toList());
    Desired cmA = a.stream().filter(d -> d.source().kind().equals("ConfigMap")).findFirst().orElseThrow();
    Desired cmC = c.stream().filter(d -> d.source().kind().equals("ConfigMap")).findFirst().orElseThrow();
    assertThat(cmA.hash()).isNotEqualTo(cmC.hash());
    // the model's own objects are not modified
    assertThat(mesh("one").output().objects()).allSatisfy(mo -> assertThat(mo.object().getMetadata().getLabels())
        .doesNotContainKey(ApplySet.PART_OF));
  }

  @Test
  void generatedSecretPlaceholdersUseTheAnnotationsTheApplierReads() {
    MeshObject secret = mesh("x").output().objects().stream().filter(MeshObject::isGeneratedSecret).findFirst()
        .orElseThrow();
    assertThat(secret.object().getMetadata().getAnnotations())
        .containsEntry(ClusterOps.SECRET_VALUES_ANNOTATION, "password=alpha/small/password")
        .containsEntry(ClusterOps.RETAIN_ANNOTATION, "true");
    var live = new io.fabric8.kubernetes.api.model.SecretBuilder((io.fabric8.kubernetes.api.model.Secret) secret.object())
        .addToData("password", Base64.getEncoder().encodeToString("s3cr3t-value".getBytes(StandardCharsets.UTF_8)))
        .addToData("user", Base64.getEncoder().encodeToString("admin".getBytes(StandardCharsets.UTF_8))).build();
    assertThat(ClusterOps.recoverValues(live, ser)).containsExactly(Map.entry("alpha/small/password", "s3cr3t-value"));
  }

  @Test
  void deploymentReadyOnlyWhenAllReplicasUpdatedAndAvailable() {
    var d = new DeploymentBuilder().withNewMetadata().withName("d").withGeneration(2L).endMetadata()
        .withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withObservedGeneration(2L).withReplicas(2).withUpdatedReplicas(1).withAvailableReplicas(2)
        .addNewCondition().withType("Available").withStatus("True").endCondition().endStatus().build();
    assertThat(Readiness.deployment(d).ready()).isFalse();
    assertThat(Readiness.deployment(d).reason()).contains("1/2 replicas updated");
    d.getStatus().setUpdatedReplicas(2);
    assertThat(Readiness.deployment(d).ready()).isTrue();
    d.getMetadata().setGeneration(3L);
    assertThat(Readiness.deployment(d).ready()).isFalse();
  }

  @Test
  void statefulSetReadyAtTheUpdateRevision() {
    var s = new StatefulSetBuilder().withNewMetadata().withName("s").withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(1).endSpec()
        .withNewStatus().withObservedGeneration(1L).withReadyReplicas(1).withUpdatedReplicas(1)
        .withCurrentRevision("s-1").withUpdateRevision("s-2").endStatus().build();
    assertThat(Readiness.statefulSet(s).ready()).isFalse();
    s.getStatus().setCurrentRevision("s-2");
    assertThat(Readiness.statefulSet(s).ready()).isTrue();
  }

  @Test
  void failedJobFailsAndCompleteJobIsReady() {
    var j = new JobBuilder().withNewMetadata().withName("j").endMetadata().withNewStatus()
        .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
        .withMessage("Job has reached the specified backoff limit").endCondition().endStatus().build();
    assertThat(Readiness.job(j).failed()).isTrue();
    assertThat(Readiness.job(j).reason()).contains("BackoffLimitExceeded");
    j.getStatus().getConditions().get(0).setType("Complete");
    assertThat(Readiness.job(j).ready()).isTrue();
  }

  @Test
  void customResourcesWaitForTheirReadyCondition() {
    Readiness r = new Readiness(ser);
    HasMetadata cr = ser.unmarshal("{\"apiVersion\":\"example.org/v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"t\"},"
        + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"Provisioning\"}]}}");
    assertThat(Readiness.hasCondition(cr)).isTrue();
    assertThat(r.check(cr).ready()).isFalse();
    assertThat(r.check(cr).reason()).contains("Provisioning");
    HasMetadata noStatus = ser.unmarshal("{\"apiVersion\":\"example.org/v1\",\"kind\":\"Thing\",\"metadata\":{\"name\":\"t\"}}");
    assertThat(r.check(noStatus).ready()).isTrue();
    assertThat(Readiness.hasCondition(new ConfigMapBuilder().build())).isFalse();
  }

  @Test
  void conflictNamesTheOtherManager() {
    var status = new StatusBuilder().withCode(409).withReason("Conflict").withMessage("Apply failed with 1 conflict")
        .withNewDetails().addNewCause().withReason("FieldManagerConflict").withField(".data.v")
        .withMessage("conflict with \"helm\" using v1").endCause().endDetails().build();
    var e = new KubernetesClientException(status);
    assertThat(Errors.describe(e)).contains("'helm'").contains(".data.v").contains("forceConflicts");
    assertThat(Errors.conflictManagers(e)).containsExactly("helm");
  }

  @Test
  void forbiddenKeepsTheServersVerbAndResource() {
    var status = new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(
        "configmaps \"x\" is forbidden: User \"bob\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"a\"")
        .build();
    assertThat(Errors.describe(new KubernetesClientException(status)))
        .startsWith("forbidden (HTTP 403)").contains("cannot patch resource \"configmaps\"");
  }

  @Test
  void optionsTimeoutsResolveObjectThenEngineThenMesh() {
    ApplyOptions o = ApplyOptions.builder().readyTimeout(Duration.ofMinutes(9))
        .readyTimeout("minio", Duration.ofMinutes(3))
        .readyTimeout("Deployment", "sales", "minio", Duration.ofSeconds(30)).build();
    assertThat(o.readyTimeout("minio", "Deployment", "sales", "minio")).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.readyTimeout("minio", "StatefulSet", "sales", "minio")).isEqualTo(Duration.ofMinutes(3));
    assertThat(o.readyTimeout("spark", "Deployment", "sales", "x")).isEqualTo(Duration.ofMinutes(9));
    assertThat(o.fieldManager()).isEqualTo("kubemesh");
    assertThat(o.forceConflicts()).isFalse();
    assertThatThrownBy(() -> ApplyOptions.builder().parallelism(0).build()).isInstanceOf(KubemeshException.class)
        .hasMessageContaining("parallelism");
    assertThatThrownBy(() -> MeshApplier.on(null)).isInstanceOf(KubemeshException.class)
        .hasMessageContaining("KubernetesClient is required");
  }

  @Test
  void redactorHidesSecretValues() {
    Redactor r = new Redactor();
    r.add("Zx81kLmN0pQr");
    assertThat(r.redact("Secret a/b is invalid: data[x]: Zx81kLmN0pQr")).doesNotContain("Zx81kLmN0pQr").contains("***");
  }

  @Test
  void reportAndPlanSummaries() {
    var ok = new ObjectResult(Phase.WORKLOADS, "Deployment", "sales", "store", ObjectResult.Outcome.CREATED, "",
        Duration.ZERO);
    var kept = new ObjectResult(Phase.STORAGE, "PersistentVolumeClaim", "sales", "data", ObjectResult.Outcome.KEPT,
        "kubemesh.io/retain=true", Duration.ZERO);
    ApplyReport report = new ApplyReport("apply", "acme", "id", List.of(ok, kept), Map.of(Phase.WORKLOADS,
        Duration.ofMillis(5)), 12, Duration.ofMillis(50));
    assertThat(report.summary()).contains("1 created").contains("1 kept").contains("12 requests");
    assertThat(report.succeeded()).isTrue();
    Plan plan = new Plan("acme", List.of(new Plan.Change("ConfigMap a/b", List.of())),
        List.of(new Plan.Change("ConfigMap a/c", List.of("data.v: 1 -> 2"))), List.of(), List.of(), List.of(), 3);
    assertThat(plan.summary()).contains("1 to create, 1 to change").contains("~ ConfigMap a/c").contains("data.v: 1 -> 2");
    assertThat(plan.isEmpty()).isFalse();
  }
}
