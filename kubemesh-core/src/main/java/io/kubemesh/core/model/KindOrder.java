package io.kubemesh.core.model;

import java.util.List;

/** Order of kinds inside one phase, so that a plain {@code kubectl apply -f} of the stream also works. */
final class KindOrder {
  private static final List<String> ORDER = List.of(
      "Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
      "RoleBinding", "NetworkPolicy", "ResourceQuota", "LimitRange", "Secret", "ConfigMap", "StorageClass",
      "PersistentVolume", "PersistentVolumeClaim", "Service", "PodDisruptionBudget", "Deployment",
      "StatefulSet", "DaemonSet", "Pod", "Job", "CronJob");

  private KindOrder() {}

  static int rank(String kind) {
    int i = ORDER.indexOf(kind);
    return i < 0 ? ORDER.size() : i;
  }
}
