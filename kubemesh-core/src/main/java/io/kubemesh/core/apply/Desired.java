package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.output.Phase;

/**
 * One object as the applier will send it: the mesh's object plus the ApplySet label and the desired-state hash.
 * For a generated Secret, {@link #object()} has no values yet.
 */
record Desired(MeshObject source, HasMetadata object, String hash) {

  Phase phase() {
    return source.phase();
  }

  String key() {
    return key(ApplySet.groupKind(object), source.namespace(), source.name());
  }

  String groupKind() {
    return ApplySet.groupKind(object);
  }

  ObjectResult result(ObjectResult.Outcome outcome, String detail, java.time.Duration took) {
    return new ObjectResult(phase(), source.kind(), source.namespace(), source.name(), outcome, detail, took);
  }

  static String key(String groupKind, String namespace, String name) {
    return groupKind + "|" + (namespace == null ? "" : namespace) + "|" + name;
  }

  static String key(HasMetadata live) {
    return key(ApplySet.groupKind(live), live.getMetadata().getNamespace(), live.getMetadata().getName());
  }
}
