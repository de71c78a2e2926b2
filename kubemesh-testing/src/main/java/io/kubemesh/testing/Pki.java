package io.kubemesh.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for a local control plane: a self-signed CA that issues
 * serving and client certificates (RSA 2048, SHA-256), plus PEM encoding for the files the
 * Kubernetes components read. Nothing here is meant for production use.
 */
final class Pki {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration CLOCK_SKEW = Duration.ofHours(1);

  /** A certificate with its private key. */
  public record Issued(X509Certificate certificate, PrivateKey privateKey) {
    public String certificatePem() {
      return pem(certificate);
    }

    /** The private key as PEM (PKCS#1 "RSA PRIVATE KEY", which Go and fabric8 both read). */
    public String privateKeyPem() {
      return pem(privateKey);
    }
  }

  private final Issued ca;
  private final Duration validity;

  private Pki(Issued ca, Duration validity) {
    this.ca = ca;
    this.validity = validity;
  }

  /** A new self-signed CA with the given common name, valid for {@code validity}. */
  public static Pki newCertificateAuthority(String commonName, Duration validity) {
    KeyPair keys = rsaKeyPair();
    X500Name name = name(commonName, List.of());
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), name, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new Pki(new Issued(sign(b, keys.getPrivate()), keys.getPrivate()), validity);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create CA certificate", e);
    }
  }

  public Issued ca() {
    return ca;
  }

  /**
   * Issues a certificate signed by this CA.
   *
   * @param commonName subject CN (Kubernetes reads it as the user name of a client certificate)
   * @param organizations subject O entries (Kubernetes reads them as groups)
   * @param serverAuth whether the certificate may serve TLS
   * @param clientAuth whether the certificate may authenticate a client
   * @param sans subject alternative names: IP literals become IP SANs, the rest DNS SANs
   */
  public Issued issue(String commonName, List<String> organizations, boolean serverAuth, boolean clientAuth,
      List<String> sans) {
    Objects.requireNonNull(commonName, "commonName");
    KeyPair keys = rsaKeyPair();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
          Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), name(commonName, organizations),
          keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (serverAuth) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (clientAuth) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      if (!purposes.isEmpty()) {
        b.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
      }
      if (!sans.isEmpty()) {
        GeneralName[] names = sans.stream().map(Pki::generalName).toArray(GeneralName[]::new);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          ext.createAuthorityKeyIdentifier(ca.certificate()));
      return new Issued(sign(b, ca.privateKey()), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue certificate for " + commonName, e);
    }
  }

  /** A fresh RSA 2048 key pair (used for certificates and for signing service-account tokens). */
  public static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  /** PEM encoding of a certificate, private key ({@code RSA PRIVATE KEY}) or public key ({@code PUBLIC KEY}). */
  public static String pem(Object certificateOrKey) {
    if (!(certificateOrKey instanceof X509Certificate || certificateOrKey instanceof PrivateKey
        || certificateOrKey instanceof PublicKey)) {
      throw new IllegalArgumentException("not a certificate or key: " + certificateOrKey);
    }
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(certificateOrKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X500Name name(String commonName, List<String> organizations) {
    X500NameBuilder n = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : organizations) {
      n.addRDN(BCStyle.O, o);
    }
    n.addRDN(BCStyle.CN, commonName);
    return n.build();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  static boolean isIpLiteral(String s) {
    return s.matches("[0-9.]+") || s.contains(":");
  }

  private static GeneralName generalName(String san) {
    if (isIpLiteral(san)) {
      try {
        // A literal: no lookup happens.
        return new GeneralName(GeneralName.iPAddress, InetAddress.getByName(san).getHostAddress());
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bad IP SAN " + san, e);
      }
    }
    return new GeneralName(GeneralName.dNSName, san);
  }
}
