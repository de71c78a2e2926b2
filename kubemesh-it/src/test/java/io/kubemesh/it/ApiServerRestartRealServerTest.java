package io.kubemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.apply.ApplyListener;
import io.kubemesh.core.apply.ApplyOptions;
import io.kubemesh.core.apply.ApplyReport;
import io.kubemesh.core.apply.DestroyOptions;
import io.kubemesh.core.apply.MeshApplier;
import io.kubemesh.core.apply.ObjectResult;
import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.Phase;
import io.kubemesh.it.ItEngines.Web;
import io.kubemesh.testing.KubemeshCluster;
import io.kubemesh.testing.LocalControlPlane;
import io.kubemesh.testing.TestCluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The real kube-apiserver stops in the middle of an apply (after phase 20 is done, so Secrets exist and storage and
 * workloads do not) and starts again with the same etcd: the error names what was and was not applied, and the
 * next apply converges with nothing lost, nothing left over and the generated credentials unchanged.
 */
@KubemeshCluster
class ApiServerRestartRealServerTest {

  @Test
  void apiServerStoppedMidApplyFailsClearlyAndTheNextApplyConverges(TestCluster cluster) {
    assumeTrue(cluster.localControlPlane().isPresent(), "needs the local control plane to stop its API server");
    LocalControlPlane cp = cluster.localControlPlane().get();
    KubernetesClient admin = cluster.client();
    String mesh = "it-restart-" + Long.toString(System.nanoTime() % 100000, 36);
    MeshModel model = MeshModel.named(mesh)
        .domain(DomainModel.builder().name(mesh + "-a").addEngines(new Web("web")).build())
        .domain(DomainModel.builder().name(mesh + "-b").addEngines(new Web("web")).build())
        .build();
    AtomicReference<Duration> restart = new AtomicReference<>();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
        .withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(50).build()).build()) {
      ApplyListener stopAfterSecrets = new ApplyListener() {
        @Override
        public void phaseDone(String op, Phase phase, Duration took, int done, int total) {
          if (phase == Phase.CONFIGURATION_AND_SECRETS) {
            cp.stopApiServer();
          }
        }
      };
      MeshApplier applier = MeshApplier.on(client, ApplyOptions.builder().listener(stopAfterSecrets)
          .readyTimeout(Duration.ofMinutes(3)).build());

      KubemeshException failure = null;
      try {
        applier.apply(model);
      } catch (KubemeshException e) {
        failure = e;
      } finally {
        if (!cp.apiServerRunning()) {
          restart.set(cp.startApiServer()); // the cluster is shared: it must come back whatever happened
        }
      }

      assertThat(failure).as("the apply fails").isNotNull();
      assertThat(failure.getMessage())
          .contains("apply of mesh '" + mesh + "' failed in phase 30-storage")
          .contains("connection lost")
          .contains("API server unreachable")
          .contains("failed: PersistentVolumeClaim " + mesh + "-a/web-data")
          .containsPattern("applied \\(\\d+\\): .*Secret " + mesh + "-a/web-creds")
          .containsPattern("applied \\(\\d+\\): .*ConfigMap " + mesh + "-b/web-config")
          .containsPattern("not applied \\(\\d+\\): .*Deployment " + mesh + "-a/web")
          .containsPattern("not applied \\(\\d+\\): .*Deployment " + mesh + "-b/web")
          .contains("nothing was pruned");
      System.out.println("API server stopped after phase 20, error:\n" + failure.getMessage());
      Map<String, Map<String, String>> secrets = LiveMesh.generatedSecretValues(admin, model);
      assertThat(secrets).isNotEmpty().allSatisfy((id, data) -> assertThat(data).as(id).isNotNull());
      String message = failure.getMessage();
      secrets.forEach((id, data) -> assertThat(message).as("no value of " + id + " in the error")
          .doesNotContain(data.get("password")));

      ApplyReport converged = MeshApplier.on(client, ApplyOptions.builder().quiet()
          .readyTimeout(Duration.ofMinutes(3)).build()).apply(model);

      assertThat(converged.succeeded()).isTrue();
      assertThat(converged.objects(Outcome.UNCHANGED)).extracting(ObjectResult::id)
          .contains("Secret " + mesh + "-a/web-creds", "ConfigMap " + mesh + "-b/web-config");
      assertThat(converged.objects(Outcome.PRUNED)).isEmpty();
      assertThat(LiveMesh.generatedSecretValues(admin, model)).isEqualTo(secrets);
      assertThat(LiveMesh.labelled(admin, model)).as("no orphans, nothing missing")
          .isEqualTo(LiveMesh.declared(model));
      assertThat(admin.apps().deployments().inNamespace(mesh + "-b").withName("web").get().getStatus()
          .getAvailableReplicas()).isEqualTo(1);
      assertThat(MeshApplier.on(client, ApplyOptions.builder().quiet().build()).plan(model).isEmpty()).isTrue();
      System.out.println("API server ready again " + restart.get().toMillis() + " ms after start; "
          + converged.summary());
      MeshApplier.on(client, ApplyOptions.builder().quiet().build()).destroy(model, DestroyOptions.purge());
    }
  }
}
