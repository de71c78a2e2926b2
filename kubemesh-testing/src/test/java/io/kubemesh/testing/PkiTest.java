package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PkiTest {

  private final Pki pki = Pki.newCertificateAuthority("test-ca", Duration.ofDays(1));

  @Test
  void caIsSelfSignedAndMayIssue() throws Exception {
    X509Certificate ca = pki.ca().certificate();
    ca.verify(ca.getPublicKey());
    ca.checkValidity();
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=test-ca");
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
  }

  @Test
  void servingCertificateCarriesSansAndServerAuth() throws Exception {
    Pki.Issued s = pki.issue("kube-apiserver", List.of(), true, false, List.of("127.0.0.1", "localhost",
        "kubernetes.default.svc"));
    X509Certificate c = s.certificate();
    c.verify(pki.ca().certificate().getPublicKey());
    assertThat(c.getBasicConstraints()).isEqualTo(-1);
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(c.getSubjectAlternativeNames()).extracting(l -> l.get(0) + "=" + l.get(1))
        .containsExactlyInAnyOrder("7=127.0.0.1", "2=localhost", "2=kubernetes.default.svc");
    assertThat(c.getIssuerX500Principal()).isEqualTo(pki.ca().certificate().getSubjectX500Principal());
  }

  @Test
  void clientCertificateNamesUserAndGroups() throws Exception {
    Pki.Issued admin = pki.issue("kubemesh-admin", List.of("system:masters"), false, true, List.of());
    X509Certificate c = admin.certificate();
    // Kubernetes reads CN as the user and O as the groups.
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=kubemesh-admin,O=system:masters");
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(c.getSubjectAlternativeNames()).isNull();
  }

  @Test
  void privateKeyMatchesCertificate() throws Exception {
    Pki.Issued s = pki.issue("x", List.of(), true, true, List.of());
    Signature sig = Signature.getInstance("SHA256withRSA");
    sig.initSign(s.privateKey());
    sig.update(new byte[] {1, 2, 3});
    byte[] signed = sig.sign();
    sig.initVerify(s.certificate().getPublicKey());
    sig.update(new byte[] {1, 2, 3});
    assertThat(sig.verify(signed)).isTrue();
  }

  @Test
  void certificateFromAnotherCaDoesNotVerify() {
    Pki other = Pki.newCertificateAuthority("other", Duration.ofDays(1));
    X509Certificate c = other.issue("x", List.of(), true, false, List.of()).certificate();
    assertThatThrownBy(() -> c.verify(pki.ca().certificate().getPublicKey())).isInstanceOf(SignatureException.class);
  }

  @Test
  void pemEncodings() {
    Pki.Issued s = pki.issue("x", List.of(), true, false, List.of());
    assertThat(s.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----").contains("-----END CERTIFICATE-----");
    assertThat(s.privateKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Pki.pem(s.certificate().getPublicKey())).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThatThrownBy(() -> Pki.pem("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipLiteralDetection() {
    assertThat(Pki.isIpLiteral("10.96.0.1")).isTrue();
    assertThat(Pki.isIpLiteral("::1")).isTrue();
    assertThat(Pki.isIpLiteral("kubernetes.default")).isFalse();
  }
}
