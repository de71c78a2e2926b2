package io.kubemesh.registry;

/**
 * The one table of versions kubemesh-registry pins.
 *
 * <p>The image is the upstream CNCF distribution release on Docker Hub ({@code registry}, the Docker Official Image
 * built from {@code distribution/distribution-library-image}); {@code tools/registry/build.sh} builds the same
 * release from the Go module proxy ({@code github.com/distribution/distribution/v3@v3.0.0}, package
 * {@code cmd/registry}) for the real-engine tests, so what the tests prove is what the image runs. Change them
 * together: {@link #RELEASE} here, the {@code require} in {@code tools/registry/go.mod} and {@code RELEASE} in
 * {@code tools/registry/build.sh}; {@code RegistryVersionsTest} fails when they drift apart.
 *
 * <p>Why 3.0.0 and not a later 3.x: it is the newest release that is both a Docker Hub tag and a version the Go
 * module proxy serves ({@code v3.1.0} is not on the proxy).
 *
 * <p>distribution is Apache-2.0.
 */
final class RegistryVersions {
  /** The distribution release, as the Go module version. */
  static final String RELEASE = "v3.0.0";

  /** The registry image: {@code registry serve /etc/distribution/config.yml} on port 5000. */
  static final String IMAGE = "registry:" + RELEASE.substring(1);

  private RegistryVersions() {}
}
