package io.kubemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.output.MeshObject;
import org.junit.jupiter.api.Test;

class MeshDslTest {

  @Test
  void theDesignCardLineWorksAsWritten() {
    Mesh sales = Mesh.domain("sales").withMinio().withSparkNotebook().build();
    assertThat(sales.name()).isEqualTo("sales");
    assertThat(sales.domains()).containsExactly("sales");
    assertThat(sales.model().output().objects()).extracting(MeshObject::engine)
        .contains("minio", "spark-notebook", "kubemesh");
    assertThat(sales.summary()).contains("domain sales in namespace sales: minio, spark-notebook");
  }

  @Test
  void callOrderNeverChangesTheOutput() {
    String a = Mesh.domain("sales").withMinio().withSparkNotebook().render().toYaml();
    String b = Mesh.domain("sales").withSparkNotebook().withMinio().render().toYaml();
    assertThat(b).isEqualTo(a);
  }

  @Test
  void aNotebookWithoutAnObjectStoreSaysWhatToAdd() {
    assertThatThrownBy(() -> Mesh.domain("sales").withSparkNotebook().build())
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("spark-notebook in domain 'sales' needs an object store")
        .hasMessageContaining("add withMinio() to the domain 'sales'");
  }

  @Test
  void declaringAnEngineTwiceKeepsTheLastSettings() {
    Mesh mesh = Mesh.domain("sales").withMinio(m -> m.bucket("orders")).withMinio().withSparkNotebook().build();
    assertThat(mesh.render().toYaml()).doesNotContain("orders");
  }

  @Test
  void aMultiDomainMeshWiresReads() {
    Mesh mesh = Mesh.named("acme")
        .domain("sales", d -> d.withMinio(m -> m.bucket("orders")).withSparkNotebook())
        .domain("marketing", d -> d.withMinio().withSparkNotebook().reads("sales", "orders"))
        .build();
    assertThat(mesh.domains()).containsExactly("sales", "marketing");
    assertThat(mesh.model().output().objects())
        .anyMatch(o -> o.kind().equals("NetworkPolicy") && o.namespace().equals("marketing")
            && o.name().equals("allow-to-sales-object-store"));
  }

  @Test
  void badInputIsReportedBeforeAnythingIsRendered() {
    assertThatThrownBy(() -> Mesh.named("acme")
        .domain("sales", d -> d.withMinio(m -> m.bucket("Bad_Bucket")))
        .domain("marketing", d -> d.withMinio().reads("sales", "orders"))
        .build())
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("Bad_Bucket")
        .hasMessageContaining("S3 bucket naming rules");
  }
}
