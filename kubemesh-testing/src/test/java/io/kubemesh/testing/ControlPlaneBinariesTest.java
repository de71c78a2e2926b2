package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneBinariesTest {

  @TempDir
  Path dir;

  @Test
  void systemPropertyWinsOverEnvironment() {
    Properties p = new Properties();
    p.setProperty(ControlPlaneBinaries.PROPERTY, "/from/property");
    ControlPlaneBinaries b = ControlPlaneBinaries.locate(p, Map.of(ControlPlaneBinaries.ENV, "/from/env"));
    assertThat(b.dir()).isEqualTo(Path.of("/from/property"));
  }

  @Test
  void environmentThenCurrentFile() throws Exception {
    assertThat(ControlPlaneBinaries.locate(new Properties(), Map.of(ControlPlaneBinaries.ENV, "/from/env")).dir())
        .isEqualTo(Path.of("/from/env"));
    Path cp = Files.createDirectories(dir.resolve("control-plane"));
    Files.writeString(cp.resolve("current"), dir.resolve("k/bin") + "\n");
    ControlPlaneBinaries b = ControlPlaneBinaries.locate(new Properties(), Map.of("KUBEMESH_CACHE", dir.toString()));
    assertThat(b.dir()).isEqualTo(dir.resolve("k/bin"));
  }

  @Test
  void unsetMavenPropertyLiteralIsIgnored() {
    Properties p = new Properties();
    p.setProperty(ControlPlaneBinaries.PROPERTY, "${kubemesh.controlPlane.bin}");
    ControlPlaneBinaries b = ControlPlaneBinaries.locate(p, Map.of("KUBEMESH_CACHE", dir.toString()));
    assertThat(b.dir().startsWith(dir)).isTrue();
    assertThat(b.present()).isFalse();
    assertThat(b.problem()).get().asString().contains("tools/control-plane/build.sh");
  }

  @Test
  void presentWhenAllFilesAreThereAndExecutable() throws Exception {
    for (String r : ControlPlaneBinaries.REQUIRED) {
      Path f = Files.writeString(dir.resolve(r), "x");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(r.endsWith(".yaml") ? "rw-r--r--" : "rwxr-xr-x"));
    }
    Files.setPosixFilePermissions(dir.resolve("kwok"), PosixFilePermissions.fromString("rw-r--r--"));
    Properties p = new Properties();
    p.setProperty(ControlPlaneBinaries.PROPERTY, dir.toString());
    ControlPlaneBinaries b = ControlPlaneBinaries.locate(p, Map.of());
    assertThat(b.missing()).containsExactly("kwok");
    Files.setPosixFilePermissions(dir.resolve("kwok"), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(b.present()).isTrue();
    assertThat(b.problem()).isEmpty();
    Files.writeString(dir.resolve("versions.properties"), "kubernetes=v1.34.4\n");
    assertThat(b.kubernetesVersion()).isEqualTo("v1.34.4");
  }
}
