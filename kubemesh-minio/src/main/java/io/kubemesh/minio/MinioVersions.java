package io.kubemesh.minio;

/**
 * The one table of MinIO versions kubemesh-minio pins.
 *
 * <p>The images are the upstream releases on quay.io; {@code tools/minio/build.sh} builds the same two releases from
 * the Go module proxy (by the pseudo-versions of their release commits) for the real-engine tests, so what the tests
 * prove is what the images run. Change all of them together: the images here, the pins in
 * {@code tools/minio/{server,mc}/go.mod} and the table in {@code tools/minio/build.sh}.
 *
 * <ul>
 *   <li>Server {@code RELEASE.2025-09-07T16-13-09Z}, commit {@code 07c3a429bfed433e49018cb0f78a52145d4bedeb}, Go
 *       module {@code github.com/minio/minio@v0.0.0-20250907161309-07c3a429bfed}.</li>
 *   <li>Client {@code RELEASE.2025-08-13T08-35-41Z}, commit {@code 7394ce0dd2a80935aded936b09fa12cbb3cb8096}, Go
 *       module {@code github.com/minio/mc@v0.0.0-20250813083541-7394ce0dd2a8}. Its {@code mc admin policy create}
 *       and {@code attach} are the current policy verbs (older releases had {@code policy add/set}); {@code attach}
 *       treats an existing attachment as success, which keeps the setup Job idempotent.</li>
 * </ul>
 *
 * <p>Both programs are AGPL-3.0: kubemesh only names their images and never links them.
 */
final class MinioVersions {
  static final String SERVER_RELEASE = "RELEASE.2025-09-07T16-13-09Z";
  static final String CLIENT_RELEASE = "RELEASE.2025-08-13T08-35-41Z";

  /** The MinIO server image. */
  static final String SERVER_IMAGE = "quay.io/minio/minio:" + SERVER_RELEASE;

  /** The MinIO client image, used by the setup Job. */
  static final String CLIENT_IMAGE = "quay.io/minio/mc:" + CLIENT_RELEASE;

  private MinioVersions() {}
}
