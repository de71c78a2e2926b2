package io.kubemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.Mesh;
import io.kubemesh.core.apply.ApplyReport;
import io.kubemesh.core.apply.DestroyOptions;
import io.kubemesh.core.apply.MeshApplier;
import io.kubemesh.core.apply.ObjectResult;
import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.testing.KubemeshCluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engines through the real DSL on a real API server (kwok plays the kubelets): MinIO standalone and
 * distributed, the Spark notebook, the MinIO setup Job, the mesh registry and its pull secrets, and destroy that
 * keeps data. Every scenario uses its own mesh and domain names.
 */
@KubemeshCluster
class EnginesRealServerTest {

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static ApplyReport applyAndTime(KubernetesClient client, Mesh mesh, String what) {
    long t0 = System.nanoTime();
    ApplyReport report = MeshApplier.on(client, Scenarios.options()).apply(mesh);
    System.out.println(what + ": applied and ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms: "
        + report.summary());
    assertThat(report.succeeded()).as(report.toString()).isTrue();
    return report;
  }

  @Test
  void minioStandaloneAndDistributedAndTheNotebookBecomeReadyAndTheSetupJobsComplete(KubernetesClient client) {
    String sfx = Scenarios.suffix();
    String one = "mino-" + sfx;
    String dist = "mind-" + sfx;
    Mesh mesh = Mesh.named("it-engines-" + sfx)
        .domain(one, d -> d.withMinio(m -> m.bucket("raw")).withSparkNotebook())
        .domain(dist, d -> d.withMinio(m -> m.distributed(4)).withSparkNotebook().reads(one, "raw"))
        .build();

    applyAndTime(client, mesh, "minio standalone + distributed(4) + 2 notebooks");

    var standalone = client.apps().deployments().inNamespace(one).withName("minio").get();
    assertThat(standalone.getStatus().getAvailableReplicas()).isEqualTo(1);
    StatefulSet distributed = client.apps().statefulSets().inNamespace(dist).withName("minio").get();
    assertThat(distributed.getSpec().getReplicas()).isEqualTo(4);
    assertThat(distributed.getStatus().getReadyReplicas()).isEqualTo(4);
    List<PersistentVolumeClaim> drives = client.persistentVolumeClaims().inNamespace(dist).list().getItems().stream()
        .filter(c -> c.getMetadata().getName().contains("minio")).toList();
    assertThat(drives).hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(c -> assertThat(c.getStatus().getPhase()).as(c.getMetadata().getName()).isEqualTo("Bound"));
    for (String ns : List.of(one, dist)) {
      assertThat(client.apps().statefulSets().inNamespace(ns).withName("spark-notebook").get().getStatus()
          .getReadyReplicas()).as(ns + " notebook").isEqualTo(1);
      List<Job> jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems();
      assertThat(jobs).as("setup Job in " + ns).isNotEmpty().allSatisfy(j -> {
        assertThat(j.getMetadata().getName()).startsWith("minio-setup");
        assertThat(j.getStatus().getSucceeded()).as(j.getMetadata().getName()).isEqualTo(1);
        assertThat(j.getStatus().getConditions()).anyMatch(c -> "Complete".equals(c.getType())
            && "True".equals(c.getStatus()));
      });
    }
    Scenarios.assertPodsAdmitted(client, mesh.model());
    assertThat(LiveMesh.labelled(client, mesh.model())).containsAll(LiveMesh.declared(mesh.model()));
    MeshApplier.on(client, Scenarios.options()).destroy(mesh, DestroyOptions.purge());
  }

  @Test
  void notebookPullsFromTheMeshRegistryWithAValidPullSecret(KubernetesClient client) throws Exception {
    String sfx = Scenarios.suffix();
    String platform = "plat-" + sfx;
    String team = "team-" + sfx;
    Mesh mesh = Mesh.named("it-registry-" + sfx)
        .platform(platform, p -> p.withMinio().withRegistry())
        .domain(team, d -> d.withSparkNotebook(n -> n.imagesFromMeshRegistry()))
        .build();

    applyAndTime(client, mesh, "platform minio + registry, notebook from the mesh registry");

    assertThat(client.apps().deployments().inNamespace(platform).withName("registry").get().getStatus()
        .getAvailableReplicas()).isEqualTo(1);
    StatefulSet notebook = client.apps().statefulSets().inNamespace(team).withName("spark-notebook").get();
    assertThat(notebook.getStatus().getReadyReplicas()).isEqualTo(1);

    Secret pull = client.secrets().inNamespace(team).withName("registry-pull").get();
    assertThat(pull.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Map<String, String>>> config = new KubernetesSerialization()
        .unmarshal(decode(pull.getData().get(".dockerconfigjson")), Map.class);
    assertThat(config).containsOnlyKeys("auths");
    assertThat(config.get("auths")).hasSize(1);
    String address = config.get("auths").keySet().iterator().next();
    Map<String, String> auth = config.get("auths").get(address);
    assertThat(auth).containsOnlyKeys("username", "password", "auth");
    String user = auth.get("username");
    String password = auth.get("password");
    assertThat(address).isEqualTo("localhost:30500");
    assertThat(user).isEqualTo("pull");
    assertThat(password).hasSizeGreaterThanOrEqualTo(16);
    assertThat(decode(auth.get("auth"))).isEqualTo(user + ":" + password);
    // the same credentials the registry's htpasswd was made from
    Secret pullUser = client.secrets().inNamespace(platform).withName("registry-user-pull").get();
    assertThat(decode(pullUser.getData().get("username"))).isEqualTo(user);
    assertThat(decode(pullUser.getData().get("password"))).isEqualTo(password);

    Pod pod = client.pods().inNamespace(team).withName("spark-notebook-0").get();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(pod.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
        .containsExactly("registry-pull");
    assertThat(pod.getSpec().getContainers()).allSatisfy(c -> assertThat(c.getImage()).startsWith(address + "/"));

    ConfigMap conf = client.configMaps().inNamespace(team).withName("spark-notebook-conf").get();
    Pod executor = new KubernetesSerialization().unmarshal(conf.getData().get("executor-pod-template.yaml"), Pod.class);
    assertThat(executor.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
        .containsExactly("registry-pull");
    assertThat(conf.getData().get("spark-defaults.conf")).contains(address + "/");
    Scenarios.assertPodsAdmitted(client, mesh.model());
    MeshApplier.on(client, Scenarios.options()).destroy(mesh, DestroyOptions.purge());
  }

  @Test
  void destroyKeepsVolumesAndCredentialsAndApplyingAgainUsesThem(KubernetesClient client) {
    String sfx = Scenarios.suffix();
    String ns = "keep-" + sfx;
    Mesh mesh = Mesh.named("it-keep-" + sfx).domain(ns, d -> d.withMinio(m -> m.bucket("raw")).withSparkNotebook())
        .build();
    applyAndTime(client, mesh, "minio + notebook (before destroy)");
    Map<String, Map<String, String>> credentials = LiveMesh.generatedSecretValues(client, mesh.model());
    Map<String, String> volumes = new java.util.TreeMap<>();
    client.persistentVolumeClaims().inNamespace(ns).list().getItems()
        .forEach(c -> volumes.put(c.getMetadata().getName(), c.getSpec().getVolumeName()));
    assertThat(volumes).containsKeys("minio-data", "spark-notebook-work");
    assertThat(credentials).containsKeys("Secret " + ns + "/minio-root", "Secret " + ns + "/spark-notebook-jupyter");

    ApplyReport destroy = MeshApplier.on(client, Scenarios.options()).destroy(mesh);

    assertThat(destroy.objects(Outcome.KEPT)).extracting(ObjectResult::id)
        .contains("PersistentVolumeClaim " + ns + "/minio-data", "PersistentVolumeClaim " + ns
            + "/spark-notebook-work", "Secret " + ns + "/minio-root", "Namespace " + ns);
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.apps().statefulSets().inNamespace(ns).list().getItems()).isEmpty();
    Map<String, String> afterDestroy = new java.util.TreeMap<>();
    client.persistentVolumeClaims().inNamespace(ns).list().getItems()
        .forEach(c -> afterDestroy.put(c.getMetadata().getName(), c.getSpec().getVolumeName()));
    assertThat(afterDestroy).as("claims still bound to the same volumes").isEqualTo(volumes);
    assertThat(LiveMesh.generatedSecretValues(client, mesh.model())).isEqualTo(credentials);

    ApplyReport again = applyAndTime(client, mesh, "minio + notebook (after destroy)");

    assertThat(again.objects(Outcome.UNCHANGED)).extracting(ObjectResult::id)
        .contains("Secret " + ns + "/minio-root", "PersistentVolumeClaim " + ns + "/minio-data");
    assertThat(LiveMesh.generatedSecretValues(client, mesh.model())).isEqualTo(credentials);
    Map<String, String> restored = new java.util.TreeMap<>();
    client.persistentVolumeClaims().inNamespace(ns).list().getItems()
        .forEach(c -> restored.put(c.getMetadata().getName(), c.getSpec().getVolumeName()));
    assertThat(restored).isEqualTo(volumes);
    assertThat(client.apps().deployments().inNamespace(ns).withName("minio").get().getStatus()
        .getAvailableReplicas()).isEqualTo(1);
    assertThat(LiveMesh.labelled(client, mesh.model())).isEqualTo(LiveMesh.declared(mesh.model()));
    MeshApplier.on(client, Scenarios.options()).destroy(mesh, DestroyOptions.purge());
  }
}
