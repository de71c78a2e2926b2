package io.kubemesh.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The sample mesh's YAML, compared with the reviewed copy in {@code src/test/resources/golden/acme.yaml}. After an
 * intended change, regenerate it with {@code KUBEMESH_UPDATE_GOLDEN=true mvn -pl samples test} and review the diff.
 */
class SampleMeshGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/acme.yaml");

  @Test
  void sampleMeshRendersToTheReviewedYaml() throws IOException {
    String yaml = SampleMesh.build().render().toYaml();
    if ("true".equals(System.getenv("KUBEMESH_UPDATE_GOLDEN"))) {
      Files.writeString(GOLDEN, yaml, StandardCharsets.UTF_8);
    }
    assertThat(yaml).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  @Test
  void renderingTheSampleTwiceGivesTheSameBytes() {
    assertThat(SampleMesh.build().render().toYaml()).isEqualTo(SampleMesh.build().render().toYaml());
  }

  @Test
  void renderSampleWritesADirectoryPerDomain(@org.junit.jupiter.api.io.TempDir Path dir) {
    RenderSample.main(new String[] {dir.toString()});
    assertThat(dir.resolve("sales/40-workloads.yaml")).exists();
    assertThat(dir.resolve("marketing/kustomization.yaml")).exists();
    assertThat(dir.resolve("kustomization.yaml")).exists();
  }
}
