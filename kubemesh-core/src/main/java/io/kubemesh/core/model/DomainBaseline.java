package io.kubemesh.core.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.kubemesh.core.capability.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every domain gets before its engines: its namespace, with Pod Security enforced, and a network that denies
 * everything but what the mesh declares.
 *
 * <p>Policies: deny all ingress and egress; allow DNS; allow traffic inside the namespace (drivers and executors,
 * jobs and their services); let pods that mount an API token reach the API server; let this domain reach the
 * object stores it was granted in other namespaces, and let the namespaces granted this domain's store reach it
 * on its port only.
 */
final class DomainBaseline {
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  /** This domain's own object store and the other namespaces allowed to reach it. */
  record StoreIngress(ObjectStore store, List<String> fromNamespaces) {}

  private DomainBaseline() {}

  static List<HasMetadata> objects(
      DomainModel domain, PodSecurity podSecurity, List<ObjectStore> egressStores, Optional<StoreIngress> ingress) {
    List<HasMetadata> out = new ArrayList<>();
    NamespaceBuilder ns = new NamespaceBuilder().withNewMetadata()
        .withName(domain.namespace())
        .addToLabels("pod-security.kubernetes.io/enforce", podSecurity.level().label())
        .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
        .addToLabels("pod-security.kubernetes.io/audit", "restricted")
        .addToLabels("pod-security.kubernetes.io/warn", "restricted")
        .endMetadata();
    if (!podSecurity.reasons().isEmpty()) {
      ns.editMetadata().addToAnnotations("kubemesh.io/pod-security-reason", String.join("; ",
          podSecurity.reasons())).endMetadata();
    }
    out.add(ns.build());

    out.add(policy("default-deny").withNewSpec().withPodSelector(new LabelSelector())
        .withPolicyTypes("Ingress", "Egress").endSpec().build());
    out.add(policy("allow-dns").withNewSpec().withPodSelector(new LabelSelector()).withPolicyTypes("Egress")
        .addNewEgress()
        .addNewTo().withNamespaceSelector(namespace("kube-system"))
        .withPodSelector(new LabelSelectorBuilder().addToMatchLabels("k8s-app", "kube-dns").build()).endTo()
        .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort()
        .endEgress().endSpec().build());
    NetworkPolicyPeer samePods = new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelector()).build();
    out.add(policy("allow-same-namespace").withNewSpec().withPodSelector(new LabelSelector())
        .withPolicyTypes("Ingress", "Egress")
        .addNewIngress().withFrom(samePods).endIngress()
        .addNewEgress().withTo(samePods).endEgress()
        .endSpec().build());
    // The API server is not a pod, so it cannot be selected; its ports are the narrowest rule available.
    out.add(policy("allow-api-server").withNewSpec()
        .withPodSelector(new LabelSelectorBuilder().addToMatchLabels(Conventions.API_ACCESS_LABEL, "true").build())
        .withPolicyTypes("Egress")
        .addNewEgress().withPorts(tcp(443), tcp(6443)).endEgress()
        .endSpec().build());

    for (ObjectStore store : egressStores) {
      out.add(policy("allow-to-" + store.providerDomain() + "-object-store").withNewSpec()
          .withPodSelector(new LabelSelector()).withPolicyTypes("Egress")
          .addNewEgress().addNewTo().withNamespaceSelector(namespace(store.providerNamespace()))
          .withPodSelector(new LabelSelectorBuilder().withMatchLabels(store.providerPodLabels()).build()).endTo()
          .withPorts(tcp(store.port())).endEgress()
          .endSpec().build());
    }
    ingress.filter(i -> !i.fromNamespaces().isEmpty()).ifPresent(i -> {
      List<NetworkPolicyPeer> from = i.fromNamespaces().stream()
          .map(n -> new NetworkPolicyPeerBuilder().withNamespaceSelector(namespace(n)).build()).toList();
      out.add(policy("allow-object-store-consumers").withNewSpec()
          .withPodSelector(new LabelSelectorBuilder().withMatchLabels(i.store().providerPodLabels()).build())
          .withPolicyTypes("Ingress")
          .addNewIngress().withFrom(from).withPorts(tcp(i.store().port())).endIngress()
          .endSpec().build());
    });
    return out;
  }

  private static NetworkPolicyBuilder policy(String name) {
    return new NetworkPolicyBuilder().withNewMetadata().withName(name).endMetadata();
  }

  private static LabelSelector namespace(String name) {
    return new LabelSelectorBuilder().addToMatchLabels(NAMESPACE_NAME_LABEL, name).build();
  }

  private static NetworkPolicyPort tcp(int port) {
    NetworkPolicyPort p = new NetworkPolicyPort();
    p.setProtocol("TCP");
    p.setPort(new IntOrString(port));
    return p;
  }
}
