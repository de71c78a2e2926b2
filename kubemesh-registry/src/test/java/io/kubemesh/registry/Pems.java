package io.kubemesh.registry;

/** PEM-shaped placeholders: what the engine checks and copies, not usable key material. */
final class Pems {
  static final String CERT = "-----BEGIN CERTIFICATE-----\nTUlJQ2V4YW1wbGU=\n-----END CERTIFICATE-----\n";
  static final String KEY = "-----BEGIN PRIVATE KEY-----\nTUlJRXhhbXBsZQ==\n-----END PRIVATE KEY-----\n";

  private Pems() {}
}
