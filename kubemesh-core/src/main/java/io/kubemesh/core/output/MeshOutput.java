package io.kubemesh.core.output;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The objects of a built mesh, in the order they are applied: by phase, then by domain, kind and name.
 *
 * <pre>{@code
 * MeshOutput output = model.output();
 * List<MeshObject> workloads = output.inPhase(Phase.WORKLOADS);
 * }</pre>
 */
public final class MeshOutput {
  private final ImmutableList<MeshObject> objects;

  public MeshOutput(List<MeshObject> objects) {
    this.objects = ImmutableList.copyOf(objects);
  }

  public List<MeshObject> objects() {
    return objects;
  }

  public List<MeshObject> inPhase(Phase phase) {
    return objects.stream().filter(o -> o.phase() == phase).toList();
  }

  public List<MeshObject> inDomain(String domain) {
    return objects.stream().filter(o -> o.domain().equals(domain)).toList();
  }

  /** How many objects of each kind, sorted by kind. */
  public Map<String, Long> countByKind() {
    return objects.stream()
        .collect(Collectors.groupingBy(MeshObject::kind, TreeMap::new, Collectors.counting()));
  }
}
