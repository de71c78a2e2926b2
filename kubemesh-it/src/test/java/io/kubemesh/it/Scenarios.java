package io.kubemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubemesh.core.apply.ApplyListener;
import io.kubemesh.core.apply.ApplyOptions;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Shared parts of the real-server scenarios with the real DSL. */
final class Scenarios {
  /**
   * Generous readiness timeouts: a loaded 2-core machine runs the control plane, the build and a benchmark. The
   * applier waits on watches, so a fast machine does not wait longer.
   */
  static final Duration READY = Duration.ofMinutes(6);

  private Scenarios() {}

  static ApplyOptions options() {
    return ApplyOptions.builder().quiet().readyTimeout(READY).deleteTimeout(Duration.ofMinutes(4)).build();
  }

  /** Console progress too: helps reading a slow run's log. */
  static ApplyOptions verbose() {
    return ApplyOptions.builder().listener(ApplyListener.console()).readyTimeout(READY)
        .deleteTimeout(Duration.ofMinutes(4)).build();
  }

  /** A short random suffix for mesh and domain names, so that scenarios never share namespaces. */
  static String suffix() {
    return Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36)
        .toLowerCase(Locale.ROOT);
  }

  static List<String> namespaces(MeshModel model) {
    return model.domains().stream().map(DomainModel::namespace).toList();
  }

  /**
   * Every pod of the mesh was admitted under its namespace's Pod Security level: the namespaces enforce
   * {@code restricted}, each pod exists and runs (or, for Job pods, has succeeded) on a kwok node, and no
   * controller reported FailedCreate (what a rejected pod leaves behind).
   *
   * @return the pods
   */
  static List<Pod> assertPodsAdmitted(KubernetesClient client, MeshModel model) {
    List<Pod> all = new java.util.ArrayList<>();
    for (String ns : namespaces(model)) {
      Namespace n = client.namespaces().withName(ns).get();
      assertThat(n.getMetadata().getLabels()).as("namespace " + ns)
          .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
      List<Event> failedCreates = client.v1().events().inNamespace(ns).list().getItems().stream()
          .filter(e -> "FailedCreate".equals(e.getReason())).toList();
      assertThat(failedCreates).as("FailedCreate events in " + ns + ": "
          + failedCreates.stream().map(Event::getMessage).toList()).isEmpty();
      List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
      assertThat(pods).as("pods in " + ns).allSatisfy(p -> {
        assertThat(p.getSpec().getNodeName()).as(p.getMetadata().getName() + " scheduled").startsWith("kwok-node-");
        assertThat(p.getStatus().getPhase()).as(p.getMetadata().getName()).isIn("Running", "Succeeded");
      });
      all.addAll(pods);
    }
    return all;
  }

  /** Whether {@code user} may {@code verb} {@code resource} in {@code namespace} (null: cluster-wide). */
  static boolean can(KubernetesClient client, String user, String verb, String resource, String namespace) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec().withUser(user)
        .addToGroups("system:serviceaccounts", "system:authenticated")
        .withNewResourceAttributes().withVerb(verb).withResource(resource).withNamespace(namespace)
        .endResourceAttributes().endSpec().build();
    return client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }
}
