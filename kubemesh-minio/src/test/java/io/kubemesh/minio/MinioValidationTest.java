package io.kubemesh.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.KubemeshException.Violation;
import io.kubemesh.core.model.DataProductRead;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.validation.Rules;
import java.util.List;
import org.junit.jupiter.api.Test;

class MinioValidationTest {

  private static List<Violation> violations(Minio minio) {
    KubemeshException e = (KubemeshException) org.assertj.core.api.Assertions.catchThrowable(
        () -> MinioMeshes.single(minio));
    assertThat(e).as("building the mesh fails").isNotNull();
    return e.violations();
  }

  @Test
  void distributedNeedsAtLeastFourPods() {
    assertThatThrownBy(() -> MinioMeshes.single(Minio.defaults().distributed(3)))
        .isInstanceOf(KubemeshException.class)
        .hasMessageContaining("domains[sales].minio.pods = '3': distributed MinIO needs at least 4 pods");
  }

  @Test
  void bucketNamesFollowS3Rules() {
    List<Violation> v = violations(Minio.defaults().bucket("orders").bucket("Orders").bucket("ab")
        .bucket("192.168.1.1").bucket("orders"));
    assertThat(v).containsExactly(
        new Violation("domains[sales].minio.buckets[1]", "Orders", Rules.BUCKET_RULE),
        new Violation("domains[sales].minio.buckets[2]", "ab", Rules.BUCKET_RULE),
        new Violation("domains[sales].minio.buckets[3]", "192.168.1.1", Rules.BUCKET_RULE),
        new Violation("domains[sales].minio.buckets[4]", "orders", "is declared twice"));
  }

  @Test
  void readingABucketTheDomainDoesNotHaveNamesItsBuckets() {
    assertThatThrownBy(() -> MeshModel.named("acme")
        .domain(DomainModel.builder().name("sales").addEngines(Minio.defaults().bucket("orders").engine()).build())
        .domain(DomainModel.builder().name("marketing").addReads(new DataProductRead("sales", "invoices")).build())
        .build())
        .isInstanceOfSatisfying(KubemeshException.class, e -> assertThat(e.violations()).containsExactly(
            new Violation("domains[marketing].reads", "sales/invoices",
                "domain 'sales' has no bucket 'invoices'; its buckets are: sales, orders")));
  }

  @Test
  void otherSettingsAreChecked() {
    List<Violation> v = violations(Minio.defaults().drivesPerPod(2).storageSize("ten").image("minio/minio")
        .clientImage("quay.io/minio/mc:latest").region("1bad").resources("0", "1Gi"));
    assertThat(v).extracting(Violation::field).containsExactlyInAnyOrder(
        "domains[sales].minio.drivesPerPod",
        "domains[sales].minio.storageSize",
        "domains[sales].minio.image",
        "domains[sales].minio.clientImage",
        "domains[sales].minio.region",
        "domains[sales].minio.resources.cpuRequest",
        "domains[sales].minio.resources.cpuLimit");
  }

  @Test
  void aLocalVolumeIsForAStandaloneServerWithAnAbsolutePath() {
    assertThat(violations(Minio.defaults().localVolume("node-1", "data").storageClass("fast")))
        .extracting(Violation::field)
        .containsExactly("domains[sales].minio.storageClass", "domains[sales].minio.localVolume.path");
    assertThat(violations(Minio.defaults().distributed(4).localVolume("node-1", "/srv/minio")))
        .extracting(Violation::rule)
        .containsExactly("a local volume is pinned to one node and holds one drive; use it with a standalone server");
  }

  @Test
  void aPlatformBucketMayNotBeTheBucketOfADomainOnThePlatform() {
    assertThatThrownBy(() -> MeshModel.named("acme")
        .domain(DomainModel.builder().name("platform").platform(true)
            .addEngines(Minio.defaults().bucket("people").engine()).build())
        .domain(DomainModel.builder().name("people").addEngines(new MinioMeshes.StoreUser()).build())
        .build())
        .isInstanceOfSatisfying(KubemeshException.class, e -> assertThat(e.violations()).containsExactly(
            new Violation("domains[platform].minio.buckets", "people",
                "is also the bucket of domain 'people', which keeps its data in this MinIO; choose another name")));
  }
}
