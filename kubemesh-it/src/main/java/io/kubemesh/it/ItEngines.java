package io.kubemesh.it;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValue;
import java.util.List;
import java.util.Map;

/** Small engines for applier tests and the benchmark: no real images are pulled (kwok plays the kubelets). */
public final class ItEngines {
  private ItEngines() {}

  /**
   * A web app: a ConfigMap, a generated Secret, a PVC (no storage class), a Deployment and a Service.
   *
   * @param name engine name
   * @param setting written into the ConfigMap
   * @param replicas Deployment replicas
   * @param nodeSelector pod node selector (an impossible one makes the pods unschedulable)
   * @param extraConfigMap adds {@code <name>-extra}, for prune tests
   */
  public record Web(String name, String setting, int replicas, Map<String, String> nodeSelector,
      boolean extraConfigMap) implements Engine {

    public Web(String name) {
      this(name, "v1", 1, Map.of(), false);
    }

    public Web withSetting(String s) {
      return new Web(name, s, replicas, nodeSelector, extraConfigMap);
    }

    public Web withExtra(boolean extra) {
      return new Web(name, setting, replicas, nodeSelector, extra);
    }

    public Web unschedulable() {
      return new Web(name, setting, replicas, Map.of("kubemesh.io/no-such-node", "true"), extraConfigMap);
    }

    @Override
    public void emit(EngineContext ctx) {
      ctx.add(new ConfigMapBuilder().withNewMetadata().withName(name + "-config").endMetadata()
          .addToData("setting", setting).build());
      if (extraConfigMap) {
        ctx.add(new ConfigMapBuilder().withNewMetadata().withName(name + "-extra").endMetadata()
            .addToData("extra", "yes").build());
      }
      ctx.add(GeneratedSecret.named(ctx.namespace(), name + "-creds")
          .with("username", SecretValue.literal(name))
          .with("password", SecretValue.random(ctx.domain() + "/" + name + "/password", 32)));
      ctx.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(name + "-data").endMetadata()
          .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
          .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build());
      ctx.add(new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
          .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(ctx.selectorLabels()).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(ctx.selectorLabels()).endMetadata()
          .withNewSpec().withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
          .addNewContainer().withName("web").withImage("registry.example.org/web:1.0")
          .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", name + "-creds", false)
          .endValueFrom().endEnv().endContainer().endSpec().endTemplate().endSpec().build());
      ctx.add(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
          .withNewSpec().withSelector(ctx.selectorLabels()).addNewPort().withPort(8080).endPort().endSpec().build());
    }
  }

  /** A CRD (cluster-scoped) and one custom resource of it in the domain's namespace. */
  public record Widgets(String group) implements Engine {
    @Override
    public String name() {
      return "widgets";
    }

    public static CustomResourceDefinition crd(String group) {
      return new CustomResourceDefinitionBuilder().withNewMetadata().withName("widgets." + group).endMetadata()
          .withNewSpec().withGroup(group).withScope("Namespaced")
          .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").withListKind("WidgetList")
          .endNames()
          .addNewVersion().withName("v1").withServed(true).withStorage(true)
          .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
              .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
          .endVersion().endSpec().build();
    }

    @Override
    public void emit(EngineContext ctx) {
      ctx.add(crd(group));
      GenericKubernetesResource w = new GenericKubernetesResourceBuilder().withApiVersion(group + "/v1")
          .withKind("Widget").withNewMetadata().withName("first").withNamespace(ctx.namespace()).endMetadata().build();
      w.setAdditionalProperty("spec", Map.of("size", 3));
      ctx.add(w);
    }
  }

  /** A mesh of {@code domains} domains named {@code <prefix>-dNN}, each with one {@link Web}. */
  public static MeshModel webMesh(String mesh, String prefix, int domains) {
    MeshModel.Builder b = MeshModel.named(mesh);
    for (int i = 0; i < domains; i++) {
      b.domain(DomainModel.builder().name(String.format("%s-d%02d", prefix, i)).addEngines(new Web("web")).build());
    }
    return b.build();
  }

  /** One domain with the given engines. */
  public static MeshModel oneDomain(String mesh, String domain, List<Engine> engines) {
    return MeshModel.named(mesh).domain(DomainModel.builder().name(domain).addAllEngines(engines).build()).build();
  }
}
