package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When an object is ready, per kind: the applier's post-conditions, in the spirit of the Java Operator SDK's
 * {@code Condition#isMet}. A phase is done when every object in it is ready.
 *
 * <ul>
 *   <li>CustomResourceDefinition: {@code Established=True} (waited for even when waits are skipped).</li>
 *   <li>Deployment: the current generation observed, all replicas updated and available, {@code Available=True}.</li>
 *   <li>StatefulSet: the current generation observed, all replicas ready and at the update revision.</li>
 *   <li>DaemonSet: every scheduled pod updated and ready.</li>
 *   <li>Job: {@code Complete=True}; {@code Failed=True} fails the apply.</li>
 *   <li>PersistentVolumeClaim: {@code Bound}, only when its storage class binds immediately (decided by the caller).</li>
 *   <li>Custom resources: a {@code Ready} (else {@code Available}) status condition when the object reports one.</li>
 *   <li>Everything else is ready once the server accepted it.</li>
 * </ul>
 */
final class Readiness {

  /** The state of one object. */
  record State(boolean ready, boolean failed, String reason) {
    static final State READY = new State(true, false, "");

    static State waiting(String reason) {
      return new State(false, false, reason);
    }

    static State failed(String reason) {
      return new State(false, true, reason);
    }
  }

  /** One kind's post-condition. */
  interface Condition {
    State check(HasMetadata live);
  }

  private final KubernetesSerialization serialization;

  Readiness(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /** Whether objects of this kind have a condition to wait for (PVCs: the caller decides from the storage class). */
  static boolean hasCondition(HasMetadata o) {
    return switch (o.getKind()) {
      case "CustomResourceDefinition", "Deployment", "StatefulSet", "DaemonSet", "Job", "PersistentVolumeClaim" ->
          true;
      default -> isCustom(o);
    };
  }

  static boolean isCustom(HasMetadata o) {
    String av = o.getApiVersion();
    return av != null && av.contains(".") && !av.startsWith("apiextensions.k8s.io/")
        && !av.endsWith(".k8s.io/v1") && !av.startsWith("apps/") && !av.startsWith("batch/");
  }

  State check(HasMetadata live) {
    if (live == null) {
      return State.waiting("not found");
    }
    return switch (live.getKind()) {
      case "CustomResourceDefinition" -> crd(as(live, CustomResourceDefinition.class));
      case "Namespace" -> namespace(as(live, Namespace.class));
      case "Deployment" -> deployment(as(live, Deployment.class));
      case "StatefulSet" -> statefulSet(as(live, StatefulSet.class));
      case "DaemonSet" -> daemonSet(as(live, DaemonSet.class));
      case "Job" -> job(as(live, Job.class));
      case "PersistentVolumeClaim" -> pvc(as(live, PersistentVolumeClaim.class));
      default -> isCustom(live) ? custom(live) : State.READY;
    };
  }

  private <T extends HasMetadata> T as(HasMetadata o, Class<T> type) {
    return type.isInstance(o) ? type.cast(o) : serialization.convertValue(o, type);
  }

  static State crd(CustomResourceDefinition crd) {
    boolean established = crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    return established ? State.READY : State.waiting("not Established yet");
  }

  static State namespace(Namespace ns) {
    String phase = ns.getStatus() == null ? null : ns.getStatus().getPhase();
    return "Terminating".equals(phase) ? State.waiting("namespace is Terminating") : State.READY;
  }

  static State deployment(Deployment d) {
    var s = d.getStatus();
    int want = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < generation(d)) {
      return State.waiting("generation " + generation(d) + " not observed yet");
    }
    int updated = nz(s.getUpdatedReplicas());
    int available = nz(s.getAvailableReplicas());
    int total = nz(s.getReplicas());
    boolean availableCond = s.getConditions() != null && s.getConditions().stream()
        .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    Optional<String> stuck = s.getConditions() == null ? Optional.empty() : s.getConditions().stream()
        .filter(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))
        .map(c -> "ProgressDeadlineExceeded: " + c.getMessage()).findFirst();
    if (updated == want && available == want && total == want && availableCond) {
      return State.READY;
    }
    return State.waiting(updated + "/" + want + " replicas updated, " + available + " available"
        + stuck.map(m -> "; " + m).orElse(""));
  }

  static State statefulSet(StatefulSet st) {
    var s = st.getStatus();
    int want = st.getSpec() == null || st.getSpec().getReplicas() == null ? 1 : st.getSpec().getReplicas();
    if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < generation(st)) {
      return State.waiting("generation " + generation(st) + " not observed yet");
    }
    int ready = nz(s.getReadyReplicas());
    int updated = nz(s.getUpdatedReplicas());
    boolean atRevision = s.getUpdateRevision() == null || Objects.equals(s.getCurrentRevision(), s.getUpdateRevision());
    if (ready == want && updated == want && atRevision) {
      return State.READY;
    }
    return State.waiting(ready + "/" + want + " replicas ready, " + updated + " at revision " + s.getUpdateRevision());
  }

  static State daemonSet(DaemonSet ds) {
    var s = ds.getStatus();
    if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < generation(ds)) {
      return State.waiting("generation " + generation(ds) + " not observed yet");
    }
    int want = nz(s.getDesiredNumberScheduled());
    if (nz(s.getNumberReady()) == want && nz(s.getUpdatedNumberScheduled()) == want) {
      return State.READY;
    }
    return State.waiting(nz(s.getNumberReady()) + "/" + want + " pods ready");
  }

  static State job(Job j) {
    var s = j.getStatus();
    if (s != null && s.getConditions() != null) {
      for (var c : s.getConditions()) {
        if ("True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType()))) {
          return State.READY;
        }
        if ("True".equals(c.getStatus()) && ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType()))) {
          return State.failed("Job failed: " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
        }
      }
    }
    return State.waiting(s == null ? "not started" : nz(s.getSucceeded()) + " succeeded, " + nz(s.getActive())
        + " active, " + nz(s.getFailed()) + " failed");
  }

  static State pvc(PersistentVolumeClaim pvc) {
    String phase = pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
    return "Bound".equals(phase) ? State.READY : State.waiting("phase " + phase + ", not Bound");
  }

  @SuppressWarnings("unchecked")
  State custom(HasMetadata o) {
    Map<String, Object> props = o instanceof GenericKubernetesResource g ? g.getAdditionalProperties()
        : serialization.convertValue(o, GenericKubernetesResource.class).getAdditionalProperties();
    Object status = props.get("status");
    if (!(status instanceof Map<?, ?> sm) || !(sm.get("conditions") instanceof List<?> conditions)) {
      return State.READY;
    }
    for (String type : List.of("Ready", "Available")) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> cm && type.equals(cm.get("type"))) {
          if ("True".equals(cm.get("status"))) {
            return State.READY;
          }
          return State.waiting(type + "=" + cm.get("status") + (cm.get("reason") == null ? "" : " (" + cm.get("reason")
              + (cm.get("message") == null ? "" : ": " + cm.get("message")) + ")"));
        }
      }
    }
    return State.READY;
  }

  private static long generation(HasMetadata o) {
    Long g = o.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
