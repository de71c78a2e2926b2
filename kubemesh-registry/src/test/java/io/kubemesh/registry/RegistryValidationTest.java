package io.kubemesh.registry;

import static io.kubemesh.registry.TestMeshes.mesh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryValidationTest {
  private static final String FIELD = "domains[platform].registry";

  private static String problems(UnaryOperator<Registry> settings) {
    return Validation.problems(() -> mesh(settings.apply(Registry.defaults())));
  }

  @Test
  void replicasOnAVolumeAreRefused() {
    assertThat(problems(r -> r.replicas(2))).isEqualTo("mesh 'acme': " + FIELD + ".replicas = '2': more than one "
        + "replica needs s3Storage(): the images volume is ReadWriteOnce and can be mounted by one pod only, and "
        + "every replica must see the same blobs");
    assertThat(problems(r -> r.replicas(0))).contains(FIELD + ".replicas = '0': must be at least 1");
  }

  @Test
  void tlsWithAMissingKeyNamesTheField() {
    assertThat(problems(r -> r.tls(Pems.CERT, null))).isEqualTo("mesh 'acme': " + FIELD + ".tls.key = <none>: "
        + "is required when TLS is set with PEMs: give a PEM private key (-----BEGIN PRIVATE KEY----- or "
        + "-----BEGIN RSA/EC PRIVATE KEY-----)");
    assertThat(problems(r -> r.tls("", Pems.KEY))).contains(FIELD + ".tls.certificate = <none>: is required");
    assertThat(problems(r -> r.tls(Pems.KEY, Pems.CERT)))
        .contains(FIELD + ".tls.certificate = '<" + Pems.KEY.length() + " characters>': must be a PEM certificate")
        .contains(FIELD + ".tls.key = '<" + Pems.CERT.length() + " characters>': must be a PEM private key")
        .doesNotContain("TUlJ");
    assertThat(problems(r -> r.tls("Bad_Name"))).contains(FIELD + ".tls.secret = 'Bad_Name'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://registry:5000", "registry:99999", "registry:0", "Registry.example", "registry/x",
      "registry:", ":5000", "-registry", "reg..example", "registry:50a0", "[::1"})
  void invalidAddressesAreRefused(String address) {
    assertThat(problems(r -> r.address(address)))
        .isEqualTo("mesh 'acme': " + FIELD + ".address = '" + address + "': " + RegistryEngine.ADDRESS_RULE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:30500", "registry.acme.example", "registry.acme.example:443", "10.0.0.1:5000",
      "[::1]:5000", "[fd00::1]"})
  void validAddressesAreTaken(String address) {
    assertThatCode(() -> mesh(Registry.defaults().address(address))).doesNotThrowAnyException();
  }

  @Test
  void otherSettingsAreChecked() {
    String message = problems(r -> r.nodePort(8080).image("registry:latest").storage("lots").storageClass("Fast")
        .pushers("pull", "ci", "ci", "Bad"));
    assertThat(message).startsWith("mesh 'acme': 7 problems")
        .contains(FIELD + ".nodePort = '8080': must be in the default node port range 30000 to 32767")
        .contains(FIELD + ".image = 'registry:latest': must name a pinned tag or digest")
        .contains(FIELD + ".storage = 'lots': must be a Kubernetes quantity")
        .contains(FIELD + ".storageClass = 'Fast'")
        .contains(FIELD + ".pushers[pull] = 'pull': 'pull' is the read identity")
        .contains(FIELD + ".pushers[ci] = 'ci': is listed twice")
        .contains(FIELD + ".pushers[Bad] = 'Bad': must be a DNS-1123 label");
    assertThat(problems(r -> r.pushers())).contains(FIELD + ".pushers = '[]': at least one pushing identity");
    assertThat(problems(r -> r.s3Storage("No_Bucket"))).contains(FIELD + ".s3Storage.bucket = 'No_Bucket'");
  }

  @Test
  void defaultsAreValid() {
    assertThatCode(() -> mesh(Registry.defaults())).doesNotThrowAnyException();
    assertThatCode(() -> mesh(Registry.defaults().s3Storage().replicas(3))).doesNotThrowAnyException();
  }
}
