package io.kubemesh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes self-contained kubeconfig files (certificates embedded as base64 data). */
final class Kubeconfig {

  private Kubeconfig() {
  }

  /**
   * The text of a kubeconfig with one cluster, one user (client certificate) and one context, all
   * named {@code name}, which is the current context.
   */
  public static String render(String name, String serverUrl, String caPem, String clientCertPem,
      String clientKeyPem) {
    requireSafe(name);
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: " + name + "\n"
        + "  cluster:\n"
        + "    server: " + serverUrl + "\n"
        + "    certificate-authority-data: " + b64(caPem) + "\n"
        + "users:\n"
        + "- name: " + name + "\n"
        + "  user:\n"
        + "    client-certificate-data: " + b64(clientCertPem) + "\n"
        + "    client-key-data: " + b64(clientKeyPem) + "\n"
        + "contexts:\n"
        + "- name: " + name + "\n"
        + "  context:\n"
        + "    cluster: " + name + "\n"
        + "    user: " + name + "\n"
        + "current-context: " + name + "\n"
        + "preferences: {}\n";
  }

  /** Writes {@link #render} to {@code file}, readable by the owner only where the file system allows. */
  public static Path write(Path file, String name, String serverUrl, String caPem, String clientCertPem,
      String clientKeyPem) {
    writePrivate(file, render(name, serverUrl, caPem, clientCertPem, clientKeyPem));
    return file;
  }

  /** Writes text to a file readable by its owner only (where POSIX permissions exist). */
  static void writePrivate(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String b64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }

  private static void requireSafe(String name) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("kubeconfig entry name must be a plain token: " + name);
    }
  }
}
