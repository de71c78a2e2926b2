package io.kubemesh.core.apply;

import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.core.output.Phase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an apply or destroy did: each object's outcome, the time each phase took and how many requests reached the
 * API server. Holds no Secret value.
 *
 * <pre>{@code
 * ApplyReport report = applier.apply(mesh);
 * System.out.println(report.summary());         // "apply of mesh acme: 12 created, 3 unchanged, ... 41 requests"
 * report.objects(Outcome.KEPT).forEach(o -> System.out.println(o + ""));
 * }</pre>
 *
 * @param operation {@code apply} or {@code destroy}
 * @param mesh the mesh's name
 * @param applySetId the ApplySet id that labels the mesh's objects
 * @param objects one result per object, in the order they were handled
 * @param phaseDurations time per phase, in phase order
 * @param requests HTTP requests this run sent to the API server (watches count once)
 * @param took the whole run
 */
public record ApplyReport(
    String operation,
    String mesh,
    String applySetId,
    List<ObjectResult> objects,
    Map<Phase, Duration> phaseDurations,
    long requests,
    Duration took) {

  public ApplyReport {
    objects = List.copyOf(objects);
    EnumMap<Phase, Duration> durations = new EnumMap<>(Phase.class);
    durations.putAll(phaseDurations);
    phaseDurations = java.util.Collections.unmodifiableMap(durations);
  }

  /** The results with one outcome. */
  public List<ObjectResult> objects(Outcome outcome) {
    return objects.stream().filter(o -> o.outcome() == outcome).toList();
  }

  /** How many objects had each outcome. */
  public Map<Outcome, Long> counts() {
    Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    objects.forEach(o -> counts.merge(o.outcome(), 1L, Long::sum));
    return counts;
  }

  /** Whether every object was applied (or deleted) as asked. */
  public boolean succeeded() {
    return objects.stream().noneMatch(o -> o.outcome() == Outcome.FAILED || o.outcome() == Outcome.NOT_APPLIED);
  }

  /** One line: counts per outcome, requests and time. */
  public String summary() {
    String counts = counts().entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
        .collect(Collectors.joining(", "));
    return operation + " of mesh " + mesh + ": " + (counts.isEmpty() ? "nothing to do" : counts) + "; "
        + requests + " requests in " + took.toMillis() + " ms";
  }

  @Override
  public String toString() {
    return summary();
  }
}
