package io.kubemesh.core.model;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kubemesh.core.validation.Problems;
import io.kubemesh.core.validation.Rules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rules every object of a mesh follows, applied in one place so that engines cannot forget them.
 *
 * <ul>
 *   <li>Labels: {@code app.kubernetes.io/*} plus the mesh and the domain, on objects and pod templates.</li>
 *   <li>Namespaced objects without a namespace land in their domain's.</li>
 *   <li>Pods: non-root, RuntimeDefault seccomp, no privilege escalation, all capabilities dropped; the service
 *       account token is mounted only when the pod sets {@code automountServiceAccountToken: true}, and such pods
 *       are labelled so the network policy lets them reach the API server.</li>
 *   <li>Every container has CPU and memory requests and limits; the defaults below fill any that are missing.</li>
 *   <li>Images are pinned: no {@code latest}, no untagged references.</li>
 *   <li>Data (PVCs, generated Secrets) is marked to be kept by destroy and prune.</li>
 *   <li>Maps are sorted so that the same mesh always renders to the same bytes.</li>
 * </ul>
 */
final class Conventions {
  static final String MESH_LABEL = MeshMetadata.MESH_LABEL;
  static final String DOMAIN_LABEL = MeshMetadata.DOMAIN_LABEL;
  static final String API_ACCESS_LABEL = MeshMetadata.API_ACCESS_LABEL;
  static final String RETAIN_ANNOTATION = MeshMetadata.RETAIN_ANNOTATION;
  static final String DEFAULT_CPU_REQUEST = "100m";
  static final String DEFAULT_MEMORY_REQUEST = "128Mi";
  static final String DEFAULT_CPU_LIMIT = "1";
  static final String DEFAULT_MEMORY_LIMIT = "512Mi";

  private final String mesh;
  private final DomainModel domain;
  private final Problems problems;

  Conventions(String mesh, DomainModel domain, Problems problems) {
    this.mesh = mesh;
    this.domain = domain;
    this.problems = problems;
  }

  static Map<String, String> selectorLabels(DomainModel domain, String engine) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("app.kubernetes.io/name", engine);
    labels.put("app.kubernetes.io/instance", domain.name() + "-" + engine);
    return labels;
  }

  /**
   * Applies the conventions to {@code object}. {@code loosePodSecurity} is set for engines that declared a reason
   * to run outside {@code restricted}: their explicit security settings are then kept.
   */
  void apply(HasMetadata object, String engine, String component, boolean loosePodSecurity) {
    ObjectMeta meta = object.getMetadata();
    if (object instanceof Namespaced && meta.getNamespace() == null) {
      meta.setNamespace(domain.namespace());
    }
    meta.setLabels(withStandardLabels(meta.getLabels(), engine, component));
    meta.setAnnotations(sorted(meta.getAnnotations()));
    if (object instanceof ConfigMap cm) {
      cm.setData(sorted(cm.getData()));
    }
    if (object instanceof PersistentVolumeClaim || object instanceof Secret) {
      meta.getAnnotations().put(RETAIN_ANNOTATION, "true");
    }
    String field = "domains[" + domain.name() + "].engines[" + engine + "]";
    for (PodTemplate pod : podTemplates(object)) {
      pod.meta().setLabels(withStandardLabels(pod.meta().getLabels(), engine, component));
      pod.meta().setAnnotations(sorted(pod.meta().getAnnotations()));
      securePod(pod.spec(), loosePodSecurity);
      if (Boolean.TRUE.equals(pod.spec().getAutomountServiceAccountToken())) {
        pod.meta().getLabels().put(API_ACCESS_LABEL, "true");
      }
      List<Container> containers = new ArrayList<>(pod.spec().getContainers());
      containers.addAll(pod.spec().getInitContainers());
      for (Container c : containers) {
        secureContainer(c, loosePodSecurity);
        fillResources(c);
        Rules.pinnedImage(problems, field + ".containers[" + c.getName() + "].image", c.getImage());
      }
    }
  }

  private Map<String, String> withStandardLabels(Map<String, String> existing, String engine, String component) {
    Map<String, String> labels = sorted(existing);
    labels.putAll(standardLabels(mesh, domain, engine, component));
    return labels;
  }

  static Map<String, String> standardLabels(String mesh, DomainModel domain, String engine, String component) {
    Map<String, String> labels = selectorLabels(domain, engine);
    labels.put("app.kubernetes.io/component", component);
    labels.put("app.kubernetes.io/part-of", mesh);
    labels.put("app.kubernetes.io/managed-by", "kubemesh");
    labels.put(MESH_LABEL, mesh);
    labels.put(DOMAIN_LABEL, domain.name());
    return labels;
  }

  private static Map<String, String> sorted(Map<String, String> map) {
    return map == null ? new TreeMap<>() : new TreeMap<>(map);
  }

  private static void securePod(PodSpec spec, boolean loose) {
    if (spec.getAutomountServiceAccountToken() == null) {
      spec.setAutomountServiceAccountToken(false);
    }
    PodSecurityContext ctx = Optional.ofNullable(spec.getSecurityContext()).orElseGet(PodSecurityContext::new);
    if (!loose || ctx.getRunAsNonRoot() == null) {
      ctx.setRunAsNonRoot(true);
    }
    if (!loose || ctx.getSeccompProfile() == null) {
      ctx.setSeccompProfile(new SeccompProfile(null, "RuntimeDefault"));
    }
    spec.setSecurityContext(ctx);
  }

  private static void secureContainer(Container c, boolean loose) {
    SecurityContext sc = Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
    if (!loose || sc.getAllowPrivilegeEscalation() == null) {
      sc.setAllowPrivilegeEscalation(false);
    }
    if (!loose || sc.getCapabilities() == null) {
      // NET_BIND_SERVICE is the one capability restricted allows to add back.
      List<String> add = sc.getCapabilities() == null ? List.of()
          : sc.getCapabilities().getAdd().stream().filter("NET_BIND_SERVICE"::equals).toList();
      sc.setCapabilities(new Capabilities(add.isEmpty() ? null : add, List.of("ALL")));
    }
    if (!loose) {
      sc.setPrivileged(null);
      if (sc.getRunAsNonRoot() == null) {
        sc.setRunAsNonRoot(true);
      }
    }
    c.setSecurityContext(sc);
  }

  private static void fillResources(Container c) {
    ResourceRequirements r = Optional.ofNullable(c.getResources()).orElseGet(ResourceRequirements::new);
    Map<String, Quantity> requests = new TreeMap<>(Optional.ofNullable(r.getRequests()).orElse(Map.of()));
    Map<String, Quantity> limits = new TreeMap<>(Optional.ofNullable(r.getLimits()).orElse(Map.of()));
    requests.putIfAbsent("cpu", new Quantity(DEFAULT_CPU_REQUEST));
    requests.putIfAbsent("memory", new Quantity(DEFAULT_MEMORY_REQUEST));
    limits.putIfAbsent("cpu", new Quantity(DEFAULT_CPU_LIMIT));
    limits.putIfAbsent("memory", new Quantity(DEFAULT_MEMORY_LIMIT));
    r.setRequests(requests);
    r.setLimits(limits);
    c.setResources(r);
  }

  /** A pod's metadata and spec, wherever the object keeps them. */
  record PodTemplate(ObjectMeta meta, PodSpec spec) {}

  static List<PodTemplate> podTemplates(HasMetadata object) {
    PodTemplateSpec template = null;
    if (object instanceof Deployment d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (object instanceof StatefulSet s && s.getSpec() != null) {
      template = s.getSpec().getTemplate();
    } else if (object instanceof DaemonSet ds && ds.getSpec() != null) {
      template = ds.getSpec().getTemplate();
    } else if (object instanceof ReplicaSet rs && rs.getSpec() != null) {
      template = rs.getSpec().getTemplate();
    } else if (object instanceof Job j && j.getSpec() != null) {
      template = j.getSpec().getTemplate();
    } else if (object instanceof CronJob cj && cj.getSpec() != null && cj.getSpec().getJobTemplate() != null
        && cj.getSpec().getJobTemplate().getSpec() != null) {
      template = cj.getSpec().getJobTemplate().getSpec().getTemplate();
    } else if (object instanceof Pod p && p.getSpec() != null) {
      return List.of(new PodTemplate(p.getMetadata(), p.getSpec()));
    }
    if (template == null || template.getSpec() == null) {
      return List.of();
    }
    if (template.getMetadata() == null) {
      template.setMetadata(new ObjectMeta());
    }
    return List.of(new PodTemplate(template.getMetadata(), template.getSpec()));
  }
}
