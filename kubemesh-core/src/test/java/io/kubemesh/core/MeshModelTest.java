package io.kubemesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.kubemesh.core.TestEngines.Reader;
import io.kubemesh.core.TestEngines.Store;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.engine.PodSecurityLevel;
import io.kubemesh.core.model.DataProductRead;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.output.Phase;
import io.kubemesh.core.render.Rendering;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshModelTest {

  static DomainModel domain(String name, Engine... engines) {
    return DomainModel.builder().name(name).addEngines(engines).build();
  }

  static MeshModel twoDomains() {
    return MeshModel.named("acme")
        .domain(domain("sales", new Store(), new Reader()))
        .domain(DomainModel.builder().name("marketing").addEngines(new Store(List.of(), "example.org/store:1.0"),
            new Reader()).addReads(new DataProductRead("sales", "orders")).build())
        .build();
  }

  static <T> T only(MeshModel model, Class<T> type, String namespace, String name) {
    return model.output().objects().stream().map(MeshObject::object).filter(type::isInstance)
        .filter(o -> name.equals(o.getMetadata().getName()))
        .filter(o -> namespace.equals(o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace()))
        .map(type::cast).findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " "
            + namespace + "/" + name));
  }

  @Test
  void everyObjectCarriesTheStandardLabels() {
    MeshModel model = twoDomains();
    for (MeshObject o : model.output().objects()) {
      assertThat(o.object().getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "kubemesh")
          .containsEntry("app.kubernetes.io/part-of", "acme")
          .containsEntry("kubemesh.io/mesh", "acme")
          .containsKey("kubemesh.io/domain")
          .containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component");
    }
    Deployment reader = only(model, Deployment.class, "sales", "reader");
    assertThat(reader.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "sales-reader")
        .containsEntry("kubemesh.io/domain", "sales");
  }

  @Test
  void namespacedObjectsLandInTheirDomainNamespace() {
    MeshModel model = twoDomains();
    assertThat(only(model, ConfigMap.class, "marketing", "reader-config").getMetadata().getNamespace())
        .isEqualTo("marketing");
  }

  @Test
  void domainNamespaceEnforcesRestrictedPodSecurity() {
    Namespace ns = only(twoDomains(), Namespace.class, "", "sales");
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted");
  }

  @Test
  void anEngineThatNeedsALooserLevelMustSayWhyAndTheNamespaceRecordsIt() {
    Engine loose = new Engine() {
      public String name() {
        return "loose";
      }

      public PodSecurityLevel podSecurityLevel() {
        return PodSecurityLevel.BASELINE;
      }

      public void emit(EngineContext ctx) {}
    };
    assertThatThrownBy(() -> MeshModel.named("m").domain(domain("sales", loose)).build())
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("domains[sales].engines[loose].podSecurityReason")
        .hasMessageContaining("must say why");
  }

  @Test
  void podsAreSecuredAndSizedByTheCore() {
    Deployment store = only(twoDomains(), Deployment.class, "sales", "store");
    var spec = store.getSpec().getTemplate().getSpec();
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container c = spec.getContainers().get(0);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
  }

  @Test
  void anEngineSetLimitIsKeptAndApiPodsAreLabelledForTheApiServerPolicy() {
    Deployment reader = only(twoDomains(), Deployment.class, "sales", "reader");
    var spec = reader.getSpec().getTemplate().getSpec();
    assertThat(spec.getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(spec.getAutomountServiceAccountToken()).isTrue();
    assertThat(reader.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("kubemesh.io/api-access", "true");
  }

  @Test
  void capabilitiesWireConsumersToTheirDomainsStoreByDnsName() {
    MeshModel model = twoDomains();
    ConfigMap config = only(model, ConfigMap.class, "sales", "reader-config");
    assertThat(config.getData()).containsEntry("endpoint", "http://store.sales.svc.cluster.local:9000")
        .containsEntry("bucket", "sales");
    assertThat(config.getData().keySet()).containsExactly("bucket", "endpoint", "zeta");
  }

  @Test
  void readsGiveTheReaderItsOwnSecretAndANetworkPath() {
    MeshModel model = twoDomains();
    MeshObject secret = model.output().objects().stream()
        .filter(o -> o.name().equals("store-sales-access")).findFirst().orElseThrow();
    assertThat(secret.namespace()).isEqualTo("marketing");
    assertThat(secret.domain()).isEqualTo("marketing");
    assertThat(secret.engine()).isEqualTo("store");
    NetworkPolicy egress = only(model, NetworkPolicy.class, "marketing", "allow-to-sales-object-store");
    assertThat(egress.getSpec().getEgress().get(0).getTo().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "sales");
    assertThat(egress.getSpec().getEgress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(9000);
    NetworkPolicy ingress = only(model, NetworkPolicy.class, "sales", "allow-object-store-consumers");
    assertThat(ingress.getSpec().getIngress().get(0).getFrom()).hasSize(1);
    assertThat(ingress.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/instance", "sales-store");
  }

  @Test
  void everyDomainDeniesByDefault() {
    MeshModel model = twoDomains();
    for (String ns : List.of("sales", "marketing")) {
      NetworkPolicy deny = only(model, NetworkPolicy.class, ns, "default-deny");
      assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
      assertThat(deny.getSpec().getIngress()).isEmpty();
      assertThat(only(model, NetworkPolicy.class, ns, "allow-dns")).isNotNull();
    }
  }

  @Test
  void objectsComeInPhaseOrderWithNamespacesFirst() {
    List<MeshObject> objects = twoDomains().output().objects();
    assertThat(objects.get(0).kind()).isEqualTo("Namespace");
    for (int i = 1; i < objects.size(); i++) {
      assertThat(objects.get(i).phase()).isGreaterThanOrEqualTo(objects.get(i - 1).phase());
    }
    assertThat(objects.stream().filter(o -> o.kind().equals("Secret")).map(MeshObject::phase))
        .containsOnly(Phase.CONFIGURATION_AND_SECRETS);
  }

  @Test
  void renderingIsDeterministicAndIndependentOfDeclarationOrder() {
    String first = Rendering.of(twoDomains()).toYaml();
    String second = Rendering.of(twoDomains()).toYaml();
    MeshModel swapped = MeshModel.named("acme")
        .domain(domain("sales", new Reader(), new Store()))
        .domain(DomainModel.builder().name("marketing").addEngines(new Reader(),
            new Store(List.of(), "example.org/store:1.0")).addReads(new DataProductRead("sales", "orders")).build())
        .build();
    assertThat(second).isEqualTo(first);
    assertThat(Rendering.of(swapped).toYaml()).isEqualTo(first);
  }

  @Test
  void generatedSecretsAreLeftOutOfRenderingsUnlessAskedFor() {
    MeshModel model = twoDomains();
    String yaml = Rendering.of(model).toYaml();
    assertThat(yaml).doesNotContain("kind: \"Secret\"").doesNotContain("kind: Secret");
    assertThat(Rendering.of(model).excludedSecrets()).extracting(MeshObject::name)
        .contains("store-access", "store-sales-access");
    String withSecrets = Rendering.of(model)
        .withSecrets(io.kubemesh.core.secret.SecretValues.seeded(7)).toYaml();
    assertThat(withSecrets).contains("kind: \"Secret\"").contains("AWS_SECRET_ACCESS_KEY");
    assertThat(withSecrets).contains("kubemesh.io/retain");
  }

  @Test
  void sharedSecretValuesResolveToTheSameValueEverywhere() {
    var values = io.kubemesh.core.secret.SecretValues.seeded(1);
    String a = values.resolve(io.kubemesh.core.secret.SecretValue.random("x/y", 20));
    String b = values.resolve(io.kubemesh.core.secret.SecretValue.random("x/y", 20));
    String c = values.resolve(io.kubemesh.core.secret.SecretValue.random("x/z", 20));
    assertThat(a).hasSize(20).isEqualTo(b).isNotEqualTo(c).matches("[A-Za-z0-9]+");
  }
}
