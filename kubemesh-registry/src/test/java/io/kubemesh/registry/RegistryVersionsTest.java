package io.kubemesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The image and the Go build of the real-engine tests are one release. */
class RegistryVersionsTest {
  private static final Path TOOL = Path.of("..", "tools", "registry");

  @Test
  void imageGoModuleAndBuildScriptNameTheSameRelease() throws IOException {
    assertThat(RegistryVersions.IMAGE).isEqualTo("registry:3.0.0");
    assertThat(Files.readString(TOOL.resolve("go.mod")))
        .containsPattern("(?m)^require github.com/distribution/distribution/v3 " + RegistryVersions.RELEASE.replace(".", "\\.") + "$");
    assertThat(Files.readString(TOOL.resolve("build.sh"))).contains("RELEASE=\"" + RegistryVersions.RELEASE + "\"");
  }
}
