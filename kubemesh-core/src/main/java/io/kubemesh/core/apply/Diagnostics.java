package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Why an object is not ready: its pods' scheduling, waiting and termination reasons (Unschedulable,
 * ImagePullBackOff, CrashLoopBackOff, a failing probe) and the latest events of the object and its pods.
 */
final class Diagnostics {
  private static final int MAX_PODS = 3;
  private static final int MAX_EVENTS = 3;

  private final KubernetesClient client;

  Diagnostics(KubernetesClient client) {
    this.client = client;
  }

  /** A sentence or a few, never empty. */
  String explain(HasMetadata live) {
    List<String> parts = new ArrayList<>();
    try {
      for (Pod p : pods(live)) {
        podReasons(p).ifPresent(parts::add);
        events(p.getMetadata().getNamespace(), "Pod", p.getMetadata().getName()).forEach(parts::add);
      }
      events(live.getMetadata().getNamespace(), live.getKind(), live.getMetadata().getName()).forEach(parts::add);
    } catch (KubernetesClientException e) {
      parts.add("(could not read pods or events: " + Errors.describe(e) + ")");
    }
    Set<String> unique = new LinkedHashSet<>(parts);
    return unique.isEmpty() ? "no pod or event explains it" : String.join("; ", unique);
  }

  private List<Pod> pods(HasMetadata live) {
    String ns = live.getMetadata().getNamespace();
    Map<String, String> selector = null;
    if (live instanceof Deployment d && d.getSpec() != null) {
      selector = matchLabels(d.getSpec().getSelector());
    } else if (live instanceof StatefulSet s && s.getSpec() != null) {
      selector = matchLabels(s.getSpec().getSelector());
    } else if (live instanceof DaemonSet ds && ds.getSpec() != null) {
      selector = matchLabels(ds.getSpec().getSelector());
    } else if (live instanceof Job) {
      selector = Map.of("job-name", live.getMetadata().getName());
    }
    if (selector == null || selector.isEmpty() || ns == null) {
      return List.of();
    }
    return client.pods().inNamespace(ns).withLabels(selector).list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).limit(MAX_PODS).toList();
  }

  private static Map<String, String> matchLabels(LabelSelector s) {
    return s == null ? null : s.getMatchLabels();
  }

  /** The first reason a pod gives for not running or not being ready. */
  static Optional<String> podReasons(Pod p) {
    String name = "pod " + p.getMetadata().getName();
    if (p.getStatus() == null) {
      return Optional.of(name + " has no status yet");
    }
    List<String> reasons = new ArrayList<>();
    if (p.getStatus().getConditions() != null) {
      p.getStatus().getConditions().stream()
          .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
          .forEach(c -> reasons.add(c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage())));
    }
    List<ContainerStatus> statuses = new ArrayList<>();
    if (p.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(p.getStatus().getInitContainerStatuses());
    }
    if (p.getStatus().getContainerStatuses() != null) {
      statuses.addAll(p.getStatus().getContainerStatuses());
    }
    for (ContainerStatus cs : statuses) {
      var state = cs.getState();
      if (state != null && state.getWaiting() != null && state.getWaiting().getReason() != null
          && !"ContainerCreating".equals(state.getWaiting().getReason())) {
        reasons.add("container " + cs.getName() + " " + state.getWaiting().getReason()
            + (state.getWaiting().getMessage() == null ? "" : ": " + state.getWaiting().getMessage()));
      } else if (state != null && state.getTerminated() != null) {
        var t = state.getTerminated();
        reasons.add("container " + cs.getName() + " terminated: " + t.getReason() + " (exit code " + t.getExitCode()
            + ")" + (t.getMessage() == null ? "" : ": " + t.getMessage()));
      } else if (cs.getLastState() != null && cs.getLastState().getTerminated() != null
          && !Boolean.TRUE.equals(cs.getReady())) {
        var t = cs.getLastState().getTerminated();
        reasons.add("container " + cs.getName() + " last terminated: " + t.getReason() + " (exit code "
            + t.getExitCode() + ")");
      } else if (!Boolean.TRUE.equals(cs.getReady()) && state != null && state.getRunning() != null) {
        reasons.add("container " + cs.getName() + " running but not ready (readiness probe failing?)");
      }
    }
    if (reasons.isEmpty() && !"Running".equals(p.getStatus().getPhase()) && !"Succeeded".equals(p.getStatus().getPhase())) {
      reasons.add("phase " + p.getStatus().getPhase());
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(name + ": " + String.join(", ", reasons));
  }

  private List<String> events(String namespace, String kind, String name) {
    if (namespace == null || namespace.isEmpty()) {
      return List.of();
    }
    return client.v1().events().inNamespace(namespace)
        .withField("involvedObject.name", name).withField("involvedObject.kind", kind)
        .list().getItems().stream()
        .sorted(Comparator.comparing(Diagnostics::when).reversed())
        .limit(MAX_EVENTS)
        .map(e -> "event on " + kind + " " + name + ": " + e.getType() + " " + e.getReason() + ": "
            + (e.getMessage() == null ? "" : e.getMessage().strip()))
        .toList();
  }

  private static String when(Event e) {
    String t = e.getLastTimestamp() != null ? e.getLastTimestamp()
        : e.getEventTime() != null ? e.getEventTime().getTime() : e.getMetadata().getCreationTimestamp();
    return t == null ? "" : t;
  }
}
