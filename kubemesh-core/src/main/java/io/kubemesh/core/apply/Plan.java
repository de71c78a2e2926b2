package io.kubemesh.core.apply;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What an apply would do, found without changing anything: objects to create, to change (with the fields that
 * would change, from a server-side dry-run apply compared with the live object), left unchanged, and to prune.
 *
 * <pre>{@code
 * Plan plan = applier.plan(mesh);
 * System.out.println(plan.summary());
 * plan.changed().forEach(c -> System.out.println(c.id() + " " + c.fields()));
 * }</pre>
 *
 * @param mesh the mesh's name
 * @param created objects that do not exist yet
 * @param changed objects that exist and would change
 * @param unchanged objects that would not change
 * @param pruned objects the mesh applied before, no longer declares, and an apply would delete
 * @param kept objects the mesh no longer declares that an apply would keep (retained data), with the reason
 * @param requests requests the plan sent
 */
public record Plan(
    String mesh,
    List<Change> created,
    List<Change> changed,
    List<Change> unchanged,
    List<Change> pruned,
    List<Change> kept,
    long requests) {

  public Plan {
    created = List.copyOf(created);
    changed = List.copyOf(changed);
    unchanged = List.copyOf(unchanged);
    pruned = List.copyOf(pruned);
    kept = List.copyOf(kept);
  }

  /**
   * One object in a plan.
   *
   * @param id {@code Kind namespace/name}
   * @param fields for a change, each field that would change as {@code path: old -> new}; Secret values are shown as
   *     {@code (hidden)}. For kept objects, the reason.
   */
  public record Change(String id, List<String> fields) {
    public Change {
      fields = List.copyOf(fields);
    }

    @Override
    public String toString() {
      return fields.isEmpty() ? id : id + " " + fields;
    }
  }

  /** Whether an apply would change anything. */
  public boolean isEmpty() {
    return created.isEmpty() && changed.isEmpty() && pruned.isEmpty();
  }

  /** A few lines for people: counts, then each object that would change. */
  public String summary() {
    StringBuilder sb = new StringBuilder("plan for mesh ").append(mesh).append(": ")
        .append(created.size()).append(" to create, ").append(changed.size()).append(" to change, ")
        .append(unchanged.size()).append(" unchanged, ").append(pruned.size()).append(" to prune")
        .append(kept.isEmpty() ? "" : ", " + kept.size() + " to keep").append('\n');
    created.forEach(c -> sb.append("  + ").append(c.id()).append('\n'));
    changed.forEach(c -> sb.append("  ~ ").append(c.id()).append('\n')
        .append(c.fields().stream().map(f -> "      " + f).collect(Collectors.joining("\n", "", "\n"))));
    pruned.forEach(c -> sb.append("  - ").append(c.id()).append('\n'));
    kept.forEach(c -> sb.append("  = ").append(c.id()).append(" kept: ").append(String.join("; ", c.fields()))
        .append('\n'));
    return sb.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
