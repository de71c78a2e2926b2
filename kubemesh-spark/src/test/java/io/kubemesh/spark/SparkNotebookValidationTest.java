package io.kubemesh.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.validation.Rules;
import org.junit.jupiter.api.Test;

class SparkNotebookValidationTest {

  private static KubemeshException buildFails(java.util.function.UnaryOperator<SparkNotebook> settings) {
    try {
      Meshes.salesWithNotebook(settings);
    } catch (KubemeshException e) {
      return e;
    }
    throw new AssertionError("the mesh built");
  }

  @Test
  void executorMemoryMustBeASparkSize() {
    KubemeshException e = buildFails(n -> n.executorMemory("lots"));
    assertThat(e.violations()).singleElement().satisfies(v -> {
      assertThat(v.field()).isEqualTo("domains[sales].spark-notebook.executorMemory");
      assertThat(v.value()).isEqualTo("lots");
      assertThat(v.rule()).isEqualTo(Rules.SPARK_SIZE_RULE);
    });
    assertThat(e).hasMessageContaining("executorMemory").hasMessageContaining("Spark size");
  }

  @Test
  void everyBadSettingIsReportedAtOnce() {
    KubemeshException e = buildFails(n -> n.executors(0).executorCores(0).driverMemory("2 GB")
        .notebookImage("quay.io/jupyter/pyspark-notebook:latest").executorImage("apache/spark")
        .notebookStorage("-1Gi").packages("delta"));
    assertThat(e.violations()).extracting(KubemeshException.Violation::field).containsExactlyInAnyOrder(
        "domains[sales].spark-notebook.executors",
        "domains[sales].spark-notebook.executorCores",
        "domains[sales].spark-notebook.driverMemory",
        "domains[sales].spark-notebook.notebookImage",
        "domains[sales].spark-notebook.executorImage",
        "domains[sales].spark-notebook.notebookStorage",
        "domains[sales].spark-notebook.packages");
  }

  @Test
  void confRefusesKeysKubemeshOwns() {
    assertThatThrownBy(() -> SparkNotebook.defaults().conf("spark.master", "local[*]"))
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("spark.master")
        .hasMessageContaining("overrideConf(\"spark.master\"");
    assertThatThrownBy(() -> SparkNotebook.defaults().conf("spark.hadoop.fs.s3a.endpoint", "http://x:9000"))
        .hasMessageContaining("object store");
    assertThatThrownBy(() -> SparkNotebook.defaults().conf("spark.executor.memory", "8g"))
        .hasMessageContaining("executorMemory(String)");
    assertThatThrownBy(() -> SparkNotebook.defaults().conf("spark.hadoop.fs.s3a.bucket.x.endpoint", "http://x"))
        .hasMessageContaining("overrideConf");
    assertThat(SparkNotebook.defaults().conf("spark.sql.shuffle.partitions", "8").conf)
        .containsEntry("spark.sql.shuffle.partitions", "8");
  }

  @Test
  void literalCredentialsAreRefusedEvenAsOverrides() {
    KubemeshException e = buildFails(n -> n.overrideConf("spark.hadoop.fs.s3a.access.key", "AKIAEXAMPLE"));
    assertThat(e.violations()).singleElement().satisfies(v -> {
      assertThat(v.field()).isEqualTo("domains[sales].spark-notebook.conf[spark.hadoop.fs.s3a.access.key]");
      assertThat(v.value()).isEqualTo("<hidden>");
      assertThat(v.rule()).contains("Secrets");
    });
    assertThat(e.getMessage()).doesNotContain("AKIAEXAMPLE");
    buildFails(n -> n.conf("spark.executorEnv.AWS_SECRET_ACCESS_KEY", "x"));
    Meshes.salesWithNotebook(n -> n.overrideConf("spark.hadoop.fs.s3a.access.key", "${env.MY_KEY}"));
  }

  @Test
  void aNotebookWithoutAnObjectStoreFailsWithAHint() {
    assertThatThrownBy(() -> MeshModel.named("acme")
        .domain(DomainModel.builder().name("sales").addEngines(SparkNotebook.defaults().engine()).build())
        .build())
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("spark-notebook")
        .hasMessageContaining("add withMinio()");
  }

  @Test
  void settingsAreImmutable() {
    SparkNotebook base = SparkNotebook.defaults();
    SparkNotebook changed = base.executors(7).conf("spark.a.b", "c");
    assertThat(base.executors).isEqualTo(2);
    assertThat(base.conf).isEmpty();
    assertThat(changed.executors).isEqualTo(7);
    assertThat(SparkNotebookEngine.mebibytes("2g")).isEqualTo(2048);
    assertThat(SparkNotebookEngine.mebibytes("512")).isEqualTo(512);
    assertThat(SparkNotebookEngine.mebibytes("1024k")).isEqualTo(1);
  }
}
