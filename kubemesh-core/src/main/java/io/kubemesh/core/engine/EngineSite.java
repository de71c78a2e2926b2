package io.kubemesh.core.engine;

import java.util.Map;

/**
 * Where an engine instance lives: its mesh, domain, namespace and DNS names. A provider gets its own site when it
 * is asked for a capability, so it can hand out service host names without emitting anything.
 *
 * <pre>{@code
 * String host = site.serviceHost("minio");   // minio.sales.svc.cluster.local
 * }</pre>
 */
public interface EngineSite {

  /** The mesh's name. */
  String mesh();

  /** The domain's name. */
  String domain();

  /** The domain's namespace; objects without a namespace land here. */
  String namespace();

  /** The cluster's DNS domain, {@code cluster.local} unless the mesh says otherwise. */
  String clusterDomain();

  /** The fully qualified DNS name of a service in this domain's namespace. */
  default String serviceHost(String service) {
    return service + "." + namespace() + ".svc." + clusterDomain();
  }

  /**
   * Labels that identify this engine's pods ({@code app.kubernetes.io/name} and {@code instance}); use them in
   * selectors. The core adds the rest of the labels.
   */
  Map<String, String> selectorLabels();

  /**
   * Every label the core puts on this engine's objects, with {@code component} as
   * {@code app.kubernetes.io/component}: for objects created at run time from a template (such as Spark executor
   * pods), which the core never sees.
   */
  Map<String, String> standardLabels(String component);
}
