package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a real API server, controller-manager, scheduler and (fake) kubelets do for us. */
@KubemeshCluster
@Tag("real-server")
class RealServerTest {

  private final KubernetesClient client;

  RealServerTest(KubernetesClient client) {
    this.client = client;
  }

  @Test
  void deploymentAppliedServerSideBecomesAvailable(TestNamespace ns) {
    Deployment d = new DeploymentBuilder()
        .withNewMetadata().withName("web").withNamespace(ns.name()).endMetadata()
        .withNewSpec().withReplicas(3)
          .withNewSelector().addToMatchLabels("app", "web").endSelector()
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", "web").endMetadata()
            .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
          .endTemplate()
        .endSpec().build();

    List<HasMetadata> applied = KubemeshApply.serverSideApply(client, List.of(d));

    assertThat(applied.get(0).getMetadata().getManagedFields())
        .anyMatch(f -> "kubemesh".equals(f.getManager()) && "Apply".equals(f.getOperation()));
    Deployment live = client.apps().deployments().inNamespace(ns.name()).withName("web").get();
    assertThat(live.getStatus().getAvailableReplicas()).isEqualTo(3);
    List<Pod> pods = client.pods().inNamespace(ns.name()).withLabel("app", "web").list().getItems();
    assertThat(pods).hasSize(3).allSatisfy(p -> {
      assertThat(p.getSpec().getNodeName()).as("scheduled").startsWith("kwok-node-");
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    });
  }

  @Test
  void podSecurityRestrictedIsEnforcedByTheServer(TestNamespace ns) {
    ns.label("pod-security.kubernetes.io/enforce", "restricted");
    Pod privileged = new PodBuilder().withNewMetadata().withName("root").withNamespace(ns.name()).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.36")
          .withNewSecurityContext().withPrivileged(true).endSecurityContext().endContainer().endSpec().build();

    assertThatThrownBy(() -> client.pods().resource(privileged).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains("violates PodSecurity \"restricted:latest\"")
              .contains("privileged (container \"c\" must not set securityContext.privileged=true)");
        });

    Pod compliant = new PodBuilder().withNewMetadata().withName("ok").withNamespace(ns.name()).endMetadata()
        .withNewSpec()
          .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1000L)
            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
          .addNewContainer().withName("c").withImage("busybox:1.36")
            .withNewSecurityContext().withAllowPrivilegeEscalation(false)
              .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
          .endContainer().endSpec().build();
    assertThat(client.pods().resource(compliant).create().getMetadata().getUid()).isNotBlank();
  }

  @Test
  void invalidObjectIsRejectedByTheServer(TestNamespace ns) {
    var cm = new ConfigMapBuilder().withNewMetadata().withName("bad").withNamespace(ns.name())
        .addToLabels("team", "data mesh").endMetadata().addToData("k", "v").build();

    assertThatThrownBy(() -> client.configMaps().resource(cm).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("metadata.labels: Invalid value: \"data mesh\"");
        });
  }

  @Test
  void serviceAccountNeedsARoleBinding(TestNamespace ns) throws Exception {
    client.serviceAccounts().resource(new ServiceAccountBuilder().withNewMetadata().withName("reader")
        .withNamespace(ns.name()).endMetadata().build()).create();
    String user = "system:serviceaccount:" + ns.name() + ":reader";

    assertThat(canListPods(user, ns.name())).as("no RoleBinding yet").isFalse();

    client.rbac().roles().resource(new RoleBuilder().withNewMetadata().withName("pod-reader")
        .withNamespace(ns.name()).endMetadata()
        .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "watch").endRule()
        .build()).create();
    client.rbac().roleBindings().resource(new RoleBindingBuilder().withNewMetadata().withName("reader-pods")
        .withNamespace(ns.name()).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("pod-reader").endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace(ns.name()).endSubject()
        .build()).create();

    // The RBAC authorizer reads from an informer cache: allow it a moment to see the binding.
    long deadline = System.currentTimeMillis() + 15_000;
    while (!canListPods(user, ns.name()) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertThat(canListPods(user, ns.name())).as("after RoleBinding").isTrue();
    assertThat(canDelete(user, ns.name())).as("delete was never granted").isFalse();
  }

  @Test
  void newNamespaceGetsDefaultServiceAccountAndRootCa(TestNamespace ns) {
    client.serviceAccounts().inNamespace(ns.name()).withName("default")
        .waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
    client.configMaps().inNamespace(ns.name()).withName("kube-root-ca.crt")
        .waitUntilCondition(cm -> cm != null && cm.getData().get("ca.crt").contains("BEGIN CERTIFICATE"),
            60, TimeUnit.SECONDS);
  }

  @Test
  void jobRunsToComplete(TestNamespace ns) {
    Job job = new JobBuilder().withNewMetadata().withName("once").withNamespace(ns.name()).endMetadata()
        .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
          .addNewContainer().withName("c").withImage("busybox:1.36").withCommand("true").endContainer()
        .endSpec().endTemplate().endSpec().build();
    client.batch().v1().jobs().resource(job).create();

    Job done = client.batch().v1().jobs().inNamespace(ns.name()).withName("once").waitUntilCondition(j ->
        j != null && j.getStatus() != null && j.getStatus().getConditions() != null
            && j.getStatus().getConditions().stream()
                .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus())),
        2, TimeUnit.MINUTES);
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
  }

  private boolean canListPods(String user, String namespace) {
    return review(user, namespace, "list");
  }

  private boolean canDelete(String user, String namespace) {
    return review(user, namespace, "delete");
  }

  private boolean review(String user, String namespace, String verb) {
    SubjectAccessReview r = new SubjectAccessReviewBuilder().withNewSpec().withUser(user)
        .withGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated")
        .withNewResourceAttributes().withNamespace(namespace).withVerb(verb).withResource("pods").endResourceAttributes()
        .endSpec().build();
    return client.authorization().v1().subjectAccessReview().create(r).getStatus().getAllowed();
  }

  @Test
  void clusterIsWhatWeThinkItIs(TestCluster cluster) {
    assertThat(cluster.client()).isSameAs(client);
    assertThat(cluster.kubeconfig()).exists();
    if (cluster.backend() == Backend.LOCAL) {
      assertThat(client.nodes().list().getItems()).hasSize(3);
      assertThat(cluster.description()).startsWith("local control plane v1.");
      assertThat(Map.of("v", client.getKubernetesVersion().getGitVersion())).containsKey("v");
    }
  }
}
