package io.kubemesh.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real Kubernetes API server. Test methods and constructors may take
 * a {@link io.fabric8.kubernetes.client.KubernetesClient} (admin), a {@link TestCluster} and, in test
 * methods, a {@link TestNamespace} (a fresh namespace, deleted after the test).
 *
 * <p>One cluster per backend serves the whole test run. Classes are tagged {@code real-server}.
 * Where the backend is not available the class is skipped with the reason, except that a missing
 * local control plane fails when the environment variable {@code CI} is {@code true}.
 *
 * <pre>{@code
 * @KubemeshCluster
 * class MyMeshIT {
 *   @Test
 *   void applies(KubernetesClient client) {
 *     try (MeshApplier applier = MeshApplier.on(client)) {
 *       applier.apply(Mesh.domain("sales").withMinio().withSparkNotebook());
 *     }
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("real-server")
@ExtendWith(KubemeshClusterExtension.class)
public @interface KubemeshCluster {
  /** The backend; {@link Backend#AUTO} follows {@code -Dkubemesh.test.backend}, default local. */
  Backend backend() default Backend.AUTO;
}
