package io.kubemesh.minio;

import static io.kubemesh.minio.MinioMeshes.objects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Grant;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.secret.SecretValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How MinIO hands out its store: to its own domain, to domains using the platform's, and to readers. */
class MinioWiringTest {
  private final MinioMeshes.Reader marketing = new MinioMeshes.Reader();
  private final MinioMeshes.StoreUser people = new MinioMeshes.StoreUser();
  private final MinioMeshes.StoreUser finance = new MinioMeshes.StoreUser();
  private final MeshModel model = MinioMeshes.wired(marketing, people, finance);

  @Test
  void aReaderGetsAReadOnlyStoreByDnsNameAndASecretInItsOwnNamespace() {
    ObjectStore sales = marketing.dataProducts.stream().filter(s -> s.providerDomain().equals("sales")).findFirst()
        .orElseThrow();
    assertThat(sales.host()).isEqualTo("minio.sales.svc.cluster.local");
    assertThat(sales.endpoint()).isEqualTo("http://minio.sales.svc.cluster.local:9000");
    assertThat(sales.port()).isEqualTo(9000);
    assertThat(sales.tls()).isFalse();
    assertThat(sales.pathStyle()).isTrue();
    assertThat(sales.region()).isEqualTo("us-east-1");
    assertThat(sales.buckets()).containsExactly("orders");
    assertThat(sales.access()).isEqualTo(Grant.Access.READ_ONLY);
    assertThat(sales.providerNamespace()).isEqualTo("sales");
    assertThat(sales.providerPodLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "minio", "app.kubernetes.io/instance", "sales-minio"));
    assertThat(sales.credentialsSecret()).isEqualTo("minio-sales-access");

    MeshObject secret = model.output().objects().stream()
        .filter(o -> o.kind().equals("Secret") && o.name().equals("minio-sales-access")).findFirst().orElseThrow();
    assertThat(secret.namespace()).isEqualTo("marketing");
    assertThat(secret.domain()).as("owned by the namespace's domain").isEqualTo("marketing");
    assertThat(secret.engine()).isEqualTo("minio");

    SecretValues values = SecretValues.seeded(3);
    Map<String, String> access = MinioMeshes.secretData(model, values, "marketing", "minio-sales-access");
    Map<String, String> jobKeys = MinioMeshes.secretData(model, values, "sales", "minio-users");
    assertThat(access.get("AWS_ACCESS_KEY_ID")).isEqualTo("marketing");
    assertThat(access.get("AWS_SECRET_ACCESS_KEY")).hasSize(40).isEqualTo(jobKeys.get("marketing"));
    assertThat(jobKeys).containsOnlyKeys("sales", "marketing");
  }

  @Test
  void aReadersPolicyOnlyReadsTheGrantedBucket() {
    Map<String, String> files = MinioMeshes.setupFiles(model, "sales");
    assertThat(files).containsOnlyKeys("setup.sh", "kubemesh-sales.json", "kubemesh-marketing.json");
    String policy = files.get("kubemesh-marketing.json");
    assertThat(policy).isEqualTo("""
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "ReadOnlyBuckets",
              "Effect": "Allow",
              "Action": ["s3:GetBucketLocation", "s3:ListBucket"],
              "Resource": ["arn:aws:s3:::orders"]
            },
            {
              "Sid": "ReadOnlyObjects",
              "Effect": "Allow",
              "Action": ["s3:GetObject"],
              "Resource": ["arn:aws:s3:::orders/*"]
            }
          ]
        }
        """);
    assertThat(files.get("setup.sh")).contains("\nuser marketing kubemesh-marketing\n")
        .doesNotContain("bucket marketing");
  }

  @Test
  void theOwnDomainReadsAndWritesAllItsBucketsHomeFirst() {
    Map<String, String> files = MinioMeshes.setupFiles(model, "sales");
    assertThat(files.get("kubemesh-sales.json"))
        .contains("\"Sid\": \"ReadWriteObjects\"", "\"s3:PutObject\"", "\"s3:DeleteObject\"",
            "[\"arn:aws:s3:::sales\", \"arn:aws:s3:::orders\"]",
            "[\"arn:aws:s3:::sales/*\", \"arn:aws:s3:::orders/*\"]")
        .doesNotContain("ReadOnly");
    assertThat(objects(model)).as("generated Secrets are left out of a plain rendering")
        .noneMatch(o -> o instanceof Secret);
    assertThat(model.output().objects()).anySatisfy(o -> {
      assertThat(o.name()).isEqualTo("minio-access");
      assertThat(o.namespace()).isEqualTo("sales");
    });
    assertThat(MinioMeshes.secretData(model, SecretValues.seeded(1), "sales", "minio-access"))
        .containsEntry("AWS_ACCESS_KEY_ID", "sales");
  }

  @Test
  void domainsOnThePlatformStoreGetABucketOfTheirOwnAndCannotTouchEachOthers() {
    ObjectStore peopleStore = people.required.get(0);
    assertThat(peopleStore.host()).isEqualTo("minio.platform.svc.cluster.local");
    assertThat(peopleStore.buckets()).containsExactly("people");
    assertThat(peopleStore.bucket()).isEqualTo("people");
    assertThat(peopleStore.access()).isEqualTo(Grant.Access.READ_WRITE);
    assertThat(peopleStore.credentialsSecret()).isEqualTo("minio-platform-access");
    assertThat(finance.required.get(0).buckets()).containsExactly("finance");

    assertThat(model.output().objects()).anySatisfy(o -> {
      assertThat(o.name()).isEqualTo("minio-platform-access");
      assertThat(o.namespace()).isEqualTo("finance-ns");
    });
    Map<String, String> files = MinioMeshes.setupFiles(model, "platform");
    assertThat(files.get("setup.sh"))
        .contains("\nbucket platform\nbucket reports\nbucket finance\nbucket people\n")
        .contains("\nuser finance kubemesh-finance\nuser marketing kubemesh-marketing\nuser people kubemesh-people\n"
            + "user platform kubemesh-platform\n");
    assertThat(files.get("kubemesh-people.json")).contains("arn:aws:s3:::people/*").doesNotContain("finance",
        "reports", "platform");
    assertThat(files.get("kubemesh-marketing.json")).contains("arn:aws:s3:::reports/*").doesNotContain("PutObject");
  }

  @Test
  void theStoreOfADomainWithACustomNamespaceIsAddressedThere() {
    MinioMeshes.StoreUser user = new MinioMeshes.StoreUser();
    MeshModel m = MeshModel.named("acme")
        .domain(io.kubemesh.core.model.DomainModel.builder().name("sales").namespace("team-sales")
            .addEngines(Minio.defaults().engine(), user).build())
        .build();
    ObjectStore store = user.required.get(0);
    assertThat(store.host()).isEqualTo("minio.team-sales.svc.cluster.local");
    assertThat(store.providerNamespace()).isEqualTo("team-sales");
    assertThat(store.buckets()).containsExactly("sales");
    assertThat(store.credentialsSecret()).isEqualTo("minio-access");
    assertThat(MinioMeshes.setupFiles(m, "team-sales")).containsKey("kubemesh-sales.json");
  }
}
