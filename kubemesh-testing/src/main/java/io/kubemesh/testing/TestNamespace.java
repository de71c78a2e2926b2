package io.kubemesh.testing;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A namespace made for one test and deleted after it.
 *
 * <pre>{@code
 * @Test
 * void appliesAConfigMap(KubernetesClient client, TestNamespace ns) {
 *   client.configMaps().inNamespace(ns.name()).resource(configMap).serverSideApply();
 * }
 * }</pre>
 */
public final class TestNamespace implements AutoCloseable {

  private final KubernetesClient client;
  private final String name;

  private TestNamespace(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
  }

  /** Creates a namespace named after {@code hint} (made DNS-safe) with a random suffix. */
  public static TestNamespace create(KubernetesClient client, String hint, Map<String, String> labels) {
    String name = name(hint);
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("app.kubernetes.io/managed-by", "kubemesh-testing").addToLabels(labels)
        .endMetadata().build();
    client.namespaces().resource(ns).create();
    return new TestNamespace(client, name);
  }

  static String name(String hint) {
    String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    if (base.length() > 40) {
      base = base.substring(0, 40).replaceAll("-+$", "");
    }
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff), 16);
    return "kmt-" + (base.isEmpty() ? "" : base + "-") + suffix;
  }

  public String name() {
    return name;
  }

  /** Sets a label on the namespace (for example pod-security.kubernetes.io/enforce). */
  public TestNamespace label(String key, String value) {
    client.namespaces().withName(name).edit(n -> new NamespaceBuilder(n).editMetadata()
        .addToLabels(key, value).endMetadata().build());
    return this;
  }

  /** Deletes the namespace (not waiting for its contents to go). */
  @Override
  public void close() {
    client.namespaces().withName(name).delete();
  }

  @Override
  public String toString() {
    return name;
  }
}
