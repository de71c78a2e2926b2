package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {

  @TempDir
  Path dir;

  @Test
  void fabric8ReadsWhatWeWrite() throws Exception {
    Pki pki = Pki.newCertificateAuthority("ca", Duration.ofDays(1));
    Pki.Issued admin = pki.issue("admin", List.of("system:masters"), false, true, List.of());
    Path file = Kubeconfig.write(dir.resolve("sub/admin.kubeconfig"), "kubemesh-local", "https://127.0.0.1:6443",
        pki.ca().certificatePem(), admin.certificatePem(), admin.privateKeyPem());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    Config c = Config.fromKubeconfig(Files.readString(file));
    assertThat(c.getMasterUrl()).startsWith("https://127.0.0.1:6443");
    assertThat(c.getCurrentContext().getName()).isEqualTo("kubemesh-local");
    assertThat(decode(c.getCaCertData())).isEqualTo(pki.ca().certificatePem());
    assertThat(decode(c.getClientCertData())).isEqualTo(admin.certificatePem());
    assertThat(decode(c.getClientKeyData())).isEqualTo(admin.privateKeyPem());
  }

  @Test
  void rewritingReplacesTheFile() throws Exception {
    Path f = dir.resolve("k");
    Kubeconfig.writePrivate(f, "a long first text");
    Kubeconfig.writePrivate(f, "b");
    assertThat(Files.readString(f)).isEqualTo("b");
  }

  @Test
  void namesMustBePlainTokens() {
    assertThatThrownBy(() -> Kubeconfig.render("a b\nc", "https://x", "", "", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
