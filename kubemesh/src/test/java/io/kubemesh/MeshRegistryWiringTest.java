package io.kubemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.output.MeshObject;
import org.junit.jupiter.api.Test;

class MeshRegistryWiringTest {

  private static Mesh mesh() {
    return Mesh.named("acme")
        .platform(p -> p.withRegistry())
        .domain("sales", d -> d.withMinio().withSparkNotebook(n -> n.imagesFromMeshRegistry()))
        .build();
  }

  @Test
  void notebookAndExecutorsPullFromTheMeshRegistryWithItsPullSecret() {
    Mesh mesh = mesh();
    StatefulSet notebook = (StatefulSet) object(mesh, "StatefulSet", "sales", "spark-notebook");
    var pod = notebook.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getImage())
        .isEqualTo("localhost:30500/jupyter/pyspark-notebook:spark-4.0.1");
    assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("registry-pull");
    ConfigMap conf = (ConfigMap) object(mesh, "ConfigMap", "sales", "spark-notebook-conf");
    assertThat(conf.getData().get("spark-defaults.conf"))
        .contains("spark.kubernetes.container.image localhost:30500/jupyter/pyspark-notebook:spark-4.0.1")
        .contains("spark.kubernetes.container.image.pullSecrets registry-pull");
    assertThat(conf.getData().values()).anyMatch(v -> v.contains("registry-pull") && v.contains("imagePullSecrets"));
  }

  @Test
  void theConsumingDomainGetsAPullSecretOfItsOwn() {
    MeshObject pull = mesh().model().output().objects().stream()
        .filter(o -> o.name().equals("registry-pull") && o.namespace().equals("sales")).findFirst().orElseThrow();
    assertThat(pull.isGeneratedSecret()).isTrue();
    assertThat(pull.generatedSecret().orElseThrow().type()).isEqualTo("kubernetes.io/dockerconfigjson");
  }

  @Test
  void imagesFromTheMeshRegistryNeedARegistry() {
    assertThatThrownBy(() -> Mesh.domain("sales").withMinio()
        .withSparkNotebook(n -> n.imagesFromMeshRegistry()).build())
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("needs an image registry")
        .hasMessageContaining("add withRegistry()");
  }

  @Test
  void theReadmesEnginesAtAGlanceMeshBuilds() {
    Mesh mesh = Mesh.named("acme")
        .platform(p -> p
            .withMinio()
            .withRegistry(r -> r.s3Storage()))
        .domain("sales", d -> d
            .withMinio(m -> m.distributed(4).bucket("orders").storageSize("50Gi"))
            .withSparkNotebook(n -> n
                .executors(4).executorMemory("4g")
                .imagesFromMeshRegistry()))
        .build();
    assertThat(mesh.domains()).containsExactly("platform", "sales");
    assertThat(mesh.model().output().objects())
        .anyMatch(o -> o.kind().equals("StatefulSet") && o.namespace().equals("sales") && o.name().equals("minio"))
        .anyMatch(o -> o.name().equals("registry-pull") && o.namespace().equals("sales"));
  }

  private static Object object(Mesh mesh, String kind, String namespace, String name) {
    return mesh.model().output().objects().stream()
        .filter(o -> o.kind().equals(kind) && o.namespace().equals(namespace) && o.name().equals(name))
        .map(MeshObject::object).findFirst().orElseThrow();
  }
}
