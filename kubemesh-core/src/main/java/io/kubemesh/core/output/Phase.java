package io.kubemesh.core.output;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Set;

/**
 * The order in which a mesh's objects reach a cluster: each phase only needs what earlier phases created.
 *
 * <p>The rendered directory numbers its files by phase, and the applier waits for a phase to be ready before the
 * next starts.
 *
 * <pre>{@code
 * Phase phase = Phase.of(new ConfigMap());    // CONFIGURATION_AND_SECRETS
 * String file = phase.fileName();              // "20-configuration-and-secrets.yaml"
 * }</pre>
 */
public enum Phase {
  NAMESPACES_AND_CRDS(0, "namespaces-and-crds"),
  IDENTITY_AND_POLICY(10, "identity-and-policy"),
  CONFIGURATION_AND_SECRETS(20, "configuration-and-secrets"),
  STORAGE(30, "storage"),
  WORKLOADS(40, "workloads"),
  JOBS(50, "jobs");

  private static final Set<String> FIRST =
      Set.of("Namespace", "CustomResourceDefinition");
  private static final Set<String> IDENTITY = Set.of(
      "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "NetworkPolicy",
      "ResourceQuota", "LimitRange", "PriorityClass");
  private static final Set<String> CONFIGURATION = Set.of("ConfigMap", "Secret");
  private static final Set<String> STORAGE_KINDS =
      Set.of("PersistentVolumeClaim", "PersistentVolume", "StorageClass");
  private static final Set<String> JOB_KINDS = Set.of("Job", "CronJob");

  private final int order;
  private final String slug;

  Phase(int order, String slug) {
    this.order = order;
    this.slug = slug;
  }

  /** The phase an object of this kind belongs to; custom resources and unknown kinds go with workloads. */
  public static Phase of(HasMetadata object) {
    String kind = object.getKind();
    if (FIRST.contains(kind)) {
      return NAMESPACES_AND_CRDS;
    }
    if (IDENTITY.contains(kind)) {
      return IDENTITY_AND_POLICY;
    }
    if (CONFIGURATION.contains(kind)) {
      return CONFIGURATION_AND_SECRETS;
    }
    if (STORAGE_KINDS.contains(kind)) {
      return STORAGE;
    }
    if (JOB_KINDS.contains(kind)) {
      return JOBS;
    }
    return WORKLOADS;
  }

  /** Two-digit order, the file prefix in a rendered directory. */
  public int order() {
    return order;
  }

  public String slug() {
    return slug;
  }

  public String fileName() {
    return String.format("%02d-%s.yaml", order, slug);
  }
}
