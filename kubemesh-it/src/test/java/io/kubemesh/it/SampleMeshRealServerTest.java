package io.kubemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubemesh.Mesh;
import io.kubemesh.core.apply.ApplyReport;
import io.kubemesh.core.apply.MeshApplier;
import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import io.kubemesh.samples.SampleMesh;
import io.kubemesh.testing.KubemeshCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The samples' mesh ({@link SampleMesh}: acme, domains sales and marketing) on a real API server: every rendered
 * object passes a server-side dry run, the applier gets it ready, every pod is admitted under {@code restricted},
 * and RBAC gives the notebook exactly its own namespace.
 *
 * <p>The sample's namespaces are fixed ({@code sales}, {@code marketing}); no other scenario uses them.
 */
@KubemeshCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleMeshRealServerTest {
  private final Mesh mesh = SampleMesh.build();

  @Test
  @Order(1)
  void everyRenderedObjectIsAcceptedByAServerSideDryRun(KubernetesClient client) {
    List<HasMetadata> objects = Rendering.of(mesh.model()).withSecrets(SecretValues.seeded(1)).objects();
    // A dry run cannot create the namespace the other objects go to: the namespaces are applied for real (as
    // the applier's field manager, which takes them over on the real apply), everything else only dry-run.
    Map<String, String> rejected = new LinkedHashMap<>();
    List<String> accepted = new ArrayList<>();
    for (HasMetadata o : objects) {
      String id = o.getKind() + " " + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace()
          + "/") + o.getMetadata().getName();
      try {
        if ("Namespace".equals(o.getKind())) {
          client.resource(o).fieldManager("kubemesh").serverSideApply();
        } else {
          HasMetadata answer = client.resource(o).dryRun().fieldManager("kubemesh-dry-run").serverSideApply();
          assertThat(answer.getMetadata().getUid()).as(id + " answered by the server").isNotBlank();
        }
        accepted.add(id);
      } catch (KubernetesClientException e) {
        rejected.put(id, e.getCode() + " " + e.getMessage());
      }
    }
    assertThat(rejected).as("rejected by the server").isEmpty();
    assertThat(accepted).hasSize(objects.size());
    // Nothing but the namespaces exists: a dry run persists nothing.
    assertThat(client.apps().statefulSets().inNamespace("sales").list().getItems()).isEmpty();
    assertThat(client.secrets().inNamespace("sales").withName("minio-root").get()).isNull();
    System.out.println("sample mesh: " + objects.size() + " rendered objects accepted by a server-side dry run");
  }

  @Test
  @Order(2)
  void appliesAndEveryPodIsAdmittedUnderRestricted(KubernetesClient client) {
    long t0 = System.nanoTime();
    ApplyReport report = MeshApplier.on(client, Scenarios.verbose()).apply(mesh);
    long took = (System.nanoTime() - t0) / 1_000_000;

    assertThat(report.succeeded()).as(report.toString()).isTrue();
    List<Pod> pods = Scenarios.assertPodsAdmitted(client, mesh.model());
    int expected = 0;
    for (String ns : List.of("sales", "marketing")) {
      for (Deployment d : client.apps().deployments().inNamespace(ns).list().getItems()) {
        assertThat(d.getStatus().getAvailableReplicas()).as(ns + "/" + d.getMetadata().getName())
            .isEqualTo(d.getSpec().getReplicas());
        expected += d.getSpec().getReplicas();
      }
      for (StatefulSet s : client.apps().statefulSets().inNamespace(ns).list().getItems()) {
        assertThat(s.getStatus().getReadyReplicas()).as(ns + "/" + s.getMetadata().getName())
            .isEqualTo(s.getSpec().getReplicas());
        expected += s.getSpec().getReplicas();
      }
      for (Job j : client.batch().v1().jobs().inNamespace(ns).list().getItems()) {
        assertThat(j.getStatus().getSucceeded()).as(ns + "/" + j.getMetadata().getName()).isEqualTo(1);
        expected += 1;
      }
      assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems())
          .allSatisfy(c -> assertThat(c.getStatus().getPhase()).as(c.getMetadata().getName()).isEqualTo("Bound"));
    }
    assertThat(pods).hasSize(expected);
    assertThat(pods).extracting(p -> p.getMetadata().getName()).contains("spark-notebook-0");

    ApplyReport again = MeshApplier.on(client, Scenarios.options()).apply(mesh);
    assertThat(again.objects(Outcome.UNCHANGED)).hasSize(mesh.model().output().objects().size());
    assertThat(LiveMesh.labelled(client, mesh.model())).isEqualTo(LiveMesh.declared(mesh.model()));
    System.out.println("sample mesh applied in " + took + " ms: " + report.summary() + "; " + pods.size()
        + " pods admitted under restricted");
  }

  @Test
  @Order(3)
  void notebookMayManagePodsInItsOwnNamespaceOnlyAndExecutorsNothing(KubernetesClient client) {
    String notebook = "system:serviceaccount:sales:spark-notebook";
    String executor = "system:serviceaccount:sales:spark-notebook-executor";

    assertThat(Scenarios.can(client, notebook, "create", "pods", "sales")).isTrue();
    assertThat(Scenarios.can(client, notebook, "delete", "pods", "sales")).isTrue();
    assertThat(Scenarios.can(client, notebook, "create", "pods", "marketing")).isFalse();
    assertThat(Scenarios.can(client, notebook, "get", "secrets", "sales")).isFalse();
    assertThat(Scenarios.can(client, notebook, "list", "nodes", null)).isFalse();
    assertThat(Scenarios.can(client, notebook, "create", "pods", null)).as("pods in every namespace").isFalse();

    for (String ns : List.of("sales", "marketing", "default", "kube-system")) {
      assertThat(Scenarios.can(client, executor, "create", "pods", ns)).as("executor creates pods in " + ns)
          .isFalse();
    }
    assertThat(Scenarios.can(client, executor, "get", "pods", "sales")).isFalse();
    assertThat(Scenarios.can(client, executor, "list", "nodes", null)).isFalse();
    assertThat(client.serviceAccounts().inNamespace("sales").withName("spark-notebook-executor").get()
        .getAutomountServiceAccountToken()).isFalse();

    // The executor pods Spark will create from the template: admitted under restricted, by the same server.
    for (String ns : List.of("sales", "marketing")) {
      String template = client.configMaps().inNamespace(ns).withName("spark-notebook-conf").get().getData()
          .get("executor-pod-template.yaml");
      Pod executorPod = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(template, Pod.class);
      executorPod.getMetadata().setName("exec-1");
      executorPod.getMetadata().setNamespace(ns);
      executorPod.getSpec().getContainers().forEach(c -> {
        if (c.getImage() == null) {
          c.setImage("quay.io/jupyter/pyspark-notebook:spark-3.5.3"); // Spark fills in spark.kubernetes.container.image
        }
      });
      Pod admitted = client.pods().resource(executorPod).dryRun().create();
      assertThat(admitted.getSpec().getServiceAccountName()).isEqualTo("spark-notebook-executor");
      assertThat(admitted.getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    // and the same for marketing's notebook, mirrored
    assertThat(Scenarios.can(client, "system:serviceaccount:marketing:spark-notebook", "create", "pods",
        "marketing")).isTrue();
    assertThat(Scenarios.can(client, "system:serviceaccount:marketing:spark-notebook", "create", "pods",
        "sales")).isFalse();
  }
}
