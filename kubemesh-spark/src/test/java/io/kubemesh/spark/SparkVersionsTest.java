package io.kubemesh.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The test-scope Spark stack in the pom must be the stack the version table pins. */
class SparkVersionsTest {

  @Test
  void pomTestVersionsMatchTheVersionTable() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom).contains("<test.spark.version>" + SparkVersions.SPARK + "<")
        .contains("<test.scala.binary>" + SparkVersions.SCALA_BINARY + "<")
        .contains("<test.delta.version>" + SparkVersions.DELTA + "<")
        .contains("<test.hadoop.version>" + SparkVersions.HADOOP + "<")
        .contains("<test.awssdk.version>" + SparkVersions.AWS_SDK_V2 + "<");
    assertThat(SparkVersions.NOTEBOOK_IMAGE).endsWith(":spark-" + SparkVersions.SPARK);
  }

  @Test
  void thePySparkTheRealEngineTestInstallsIsTheSameSpark() throws Exception {
    assertThat(Files.readString(Path.of("..", "tools", "pyspark", "build.sh")))
        .contains("PYSPARK_VERSION=\"" + SparkVersions.SPARK + "\"");
  }
}
