package io.kubemesh.samples;

import io.kubemesh.Mesh;

/**
 * The sample mesh: {@code sales} keeps orders in MinIO and explores them in a Spark notebook; {@code marketing}
 * runs its own MinIO and notebook and reads the {@code orders} bucket of sales, read-only.
 *
 * <pre>{@code
 * Mesh mesh = SampleMesh.build();
 * System.out.println(mesh.summary());
 * }</pre>
 */
public final class SampleMesh {
  private SampleMesh() {}

  public static Mesh build() {
    return Mesh.named("acme")
        .domain("sales", d -> d
            .withMinio(m -> m.bucket("orders"))
            .withSparkNotebook())
        .domain("marketing", d -> d
            .withMinio()
            .withSparkNotebook()
            .reads("sales", "orders"))
        .build();
  }
}
