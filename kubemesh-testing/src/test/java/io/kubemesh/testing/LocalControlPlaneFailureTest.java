package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component that dies at start: the error names it, shows its log, and keeps only the logs. */
class LocalControlPlaneFailureTest {

  @TempDir
  Path bin;

  @Test
  void failedStartReportsTheComponentLogAndKeepsOnlyLogs() throws Exception {
    for (String r : ControlPlaneBinaries.REQUIRED) {
      Path f = Files.writeString(bin.resolve(r), "#!/bin/sh\necho \"" + r + " says boom: $*\" >&2\nexit 3\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Properties p = new Properties();
    p.setProperty(ControlPlaneBinaries.PROPERTY, bin.toString());
    ControlPlaneBinaries binaries = ControlPlaneBinaries.locate(p, Map.of());

    assertThatThrownBy(() -> LocalControlPlane.builder().binaries(binaries).startTimeout(Duration.ofSeconds(20)).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("etcd exited with code 3")
        .hasMessageContaining("etcd says boom: --name=kubemesh")
        .satisfies(e -> {
          Matcher m = Pattern.compile("component logs kept in (\\S+)").matcher(e.getMessage());
          assertThat(m.find()).isTrue();
          Path logs = Path.of(m.group(1));
          assertThat(logs.resolve("etcd.log")).exists();
          assertThat(logs.getParent().resolve("pki")).doesNotExist();
          LocalControlPlane.deleteTree(logs.getParent(), null);
        });
  }
}
