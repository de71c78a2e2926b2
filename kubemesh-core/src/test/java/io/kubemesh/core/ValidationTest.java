package io.kubemesh.core;

import static io.kubemesh.core.MeshModelTest.domain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.kubemesh.core.TestEngines.Reader;
import io.kubemesh.core.TestEngines.Store;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.engine.EngineContext;
import io.kubemesh.core.model.DataProductRead;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.validation.Problems;
import io.kubemesh.core.validation.Rules;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

  private static KubemeshException failure(MeshModel.Builder builder) {
    try {
      builder.build();
    } catch (KubemeshException e) {
      return e;
    }
    throw new AssertionError("the mesh built, but should not have");
  }

  @Test
  void domainNameMustBeADnsLabel() {
    KubemeshException e = failure(MeshModel.named("acme").domain(domain("Sales_1")));
    assertThat(e.getMessage()).contains("domains[Sales_1].name = 'Sales_1'").contains("DNS-1123 label");
    assertThat(e.violations()).extracting(KubemeshException.Violation::field).contains("domains[Sales_1].name");
  }

  @Test
  void tooLongNamesSayTheLimit() {
    String name = "a".repeat(64);
    assertThat(failure(MeshModel.named(name).domain(domain("sales"))).getMessage())
        .contains("mesh.name").contains("64 characters long; at most 63");
  }

  @Test
  void meshNeedsADomain() {
    assertThat(failure(MeshModel.named("acme")).getMessage()).contains("at least one domain");
  }

  @Test
  void duplicateDomainsAndNamespacesAreRefused() {
    KubemeshException e = failure(MeshModel.named("acme").domain(domain("sales")).domain(domain("sales")));
    assertThat(e.getMessage()).contains("declared twice");
    KubemeshException ns = failure(MeshModel.named("acme").domain(domain("sales"))
        .domain(DomainModel.builder().name("orders").namespace("sales").build()));
    assertThat(ns.getMessage()).contains("domains[orders].namespace = 'sales'").contains("namespace of its own");
  }

  @Test
  void aMissingCapabilitySaysWhichWithToAdd() {
    KubemeshException e = failure(MeshModel.named("acme").domain(domain("sales", new Reader())));
    assertThat(e.getMessage())
        .contains("reader in domain 'sales' needs an object store")
        .contains("add withMinio() to the domain 'sales'");
  }

  @Test
  void aPlatformStoreSatisfiesDomainsWithoutOne() {
    MeshModel model = MeshModel.named("acme")
        .domain(DomainModel.builder().name("platform").platform(true).addEngines(new Store()).build())
        .domain(domain("sales", new Reader()))
        .build();
    assertThat(model.output().objects()).anyMatch(o -> o.name().equals("store-platform-access")
        && o.namespace().equals("sales"));
  }

  @Test
  void readsMustNameAnExistingDomainAndBucket() {
    KubemeshException unknownDomain = failure(MeshModel.named("acme").domain(domain("sales", new Store()))
        .domain(DomainModel.builder().name("marketing").addReads(new DataProductRead("finance", "x1y")).build()));
    assertThat(unknownDomain.getMessage()).contains("domains[marketing].reads = 'finance/x1y'")
        .contains("there is no domain 'finance'");
    KubemeshException unknownBucket = failure(MeshModel.named("acme").domain(domain("sales", new Store()))
        .domain(DomainModel.builder().name("marketing").addReads(new DataProductRead("sales", "nope")).build()));
    assertThat(unknownBucket.getMessage()).contains("'sales/nope'").contains("has no bucket 'nope'");
    KubemeshException own = failure(MeshModel.named("acme").domain(DomainModel.builder().name("sales")
        .addEngines(new Store()).addReads(new DataProductRead("sales", "orders")).build()));
    assertThat(own.getMessage()).contains("already has read-write access");
    KubemeshException noStore = failure(MeshModel.named("acme").domain(domain("sales"))
        .domain(DomainModel.builder().name("marketing").addReads(new DataProductRead("sales", "orders")).build()));
    assertThat(noStore.getMessage()).contains("has no object store to read from");
  }

  @Test
  void badBucketNameInAReadIsRefused() {
    KubemeshException e = failure(MeshModel.named("acme").domain(domain("sales", new Store()))
        .domain(DomainModel.builder().name("marketing").addReads(new DataProductRead("sales", "Orders!")).build()));
    assertThat(e.getMessage()).contains("domains[marketing].reads.bucket = 'Orders!'").contains("S3 bucket");
  }

  @Test
  void engineSettingsAreValidatedWithTheirFieldPath() {
    KubemeshException e = failure(MeshModel.named("acme")
        .domain(domain("sales", new Store(), new Reader("reader", "lots"))));
    assertThat(e.getMessage()).contains("domains[sales].reader.memory = 'lots'").contains("Kubernetes quantity");
  }

  @Test
  void allProblemsAreReportedAtOnce() {
    KubemeshException e = failure(MeshModel.named("Acme").domain(domain("Bad Name")).domain(domain("x_y")));
    assertThat(e.violations()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(e.getMessage()).contains("problems");
  }

  @Test
  void unpinnedImagesAreRefused() {
    KubemeshException e = failure(MeshModel.named("acme")
        .domain(domain("sales", new Store(List.of(), "example.org/store:latest"))));
    assertThat(e.getMessage()).contains("domains[sales].engines[store].containers[store].image")
        .contains("example.org/store:latest").contains("pinned tag");
    KubemeshException untagged = failure(MeshModel.named("acme")
        .domain(domain("sales", new Store(List.of(), "example.org:5000/store"))));
    assertThat(untagged.getMessage()).contains("pinned tag");
  }

  @Test
  void twoObjectsWithTheSameIdentityAreRefused() {
    Engine twice = new Engine() {
      public String name() {
        return "twice";
      }

      public void emit(EngineContext ctx) {
        ctx.add(new ConfigMapBuilder().withNewMetadata().withName("same").endMetadata().build());
        ctx.add(new ConfigMapBuilder().withNewMetadata().withName("same").endMetadata().build());
      }
    };
    assertThat(failure(MeshModel.named("acme").domain(domain("sales", twice))).getMessage())
        .contains("v1/ConfigMap sales/same").contains("same kind, namespace and name");
  }

  @Test
  void aNodePortUsedTwiceInTheMeshIsRefused() {
    Engine exposed = new Engine() {
      public String name() {
        return "exposed";
      }

      public void emit(EngineContext ctx) {
        ctx.add(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("web").endMetadata()
            .withNewSpec().withType("NodePort").addNewPort().withPort(80).withNodePort(30500).endPort().endSpec()
            .build());
      }
    };
    KubemeshException e = failure(MeshModel.named("acme").domain(domain("sales", exposed))
        .domain(domain("marketing", exposed)));
    assertThat(e.getMessage()).contains("domains[marketing].engines[exposed].nodePort = '30500'")
        .contains("node ports are cluster-wide and v1/Service sales/web already uses it");
  }

  @Test
  void duplicateEngineNamesAreRefused() {
    assertThat(failure(MeshModel.named("acme").domain(domain("sales", new Store(), new Store()))).getMessage())
        .contains("engine names must be unique");
  }

  @Test
  void onlyOnePlatform() {
    assertThat(failure(MeshModel.named("acme")
        .domain(DomainModel.builder().name("p1").platform(true).build())
        .domain(DomainModel.builder().name("p2").platform(true).build())).getMessage())
        .contains("at most one platform");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "Orders", "-orders", "orders-", "or..ders", "192.168.1.1", "xn--orders",
      "orders-s3alias", "or_ders", "sthree-x"})
  void bucketRules(String bucket) {
    Problems p = new Problems();
    assertThat(Rules.bucketName(p, "b", bucket)).isFalse();
    assertThat(p.violations().get(0).rule()).contains("S3 bucket naming rules");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "sales-data", "a.b.c", "abc"})
  void validBuckets(String bucket) {
    assertThat(Rules.bucketName(new Problems(), "b", bucket)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10 Gi", "ten", "1GB", "", "1.5.2"})
  void badQuantities(String q) {
    Problems p = new Problems();
    assertThat(Rules.quantity(p, "size", q)).isFalse();
    assertThat(p.violations().get(0).toString()).contains("size = '" + q + "'").contains("Kubernetes quantity");
  }

  @Test
  void quantitiesAndSizesAndPorts() {
    Problems p = new Problems();
    assertThat(Rules.quantity(p, "q", "500m")).isTrue();
    assertThat(Rules.quantity(p, "q", "10Gi")).isTrue();
    assertThat(Rules.positiveQuantity(p, "q", "0")).isFalse();
    assertThat(Rules.sparkSize(p, "m", "4g")).isTrue();
    assertThat(Rules.sparkSize(p, "m", "512m")).isTrue();
    assertThat(Rules.sparkSize(p, "m", "4Gi")).isFalse();
    assertThat(Rules.port(p, "port", 0)).isFalse();
    assertThat(Rules.port(p, "port", 65536)).isFalse();
    assertThat(Rules.port(p, "port", 9000)).isTrue();
    assertThat(p.violations()).extracting(KubemeshException.Violation::rule)
        .anyMatch(r -> r.contains("port number from 1 to 65535"))
        .anyMatch(r -> r.contains("Spark size"))
        .anyMatch(r -> r.contains("greater than zero"));
  }

  @Test
  void clusterDomainMustBeADnsName() {
    assertThat(failure(MeshModel.named("acme").clusterDomain("bad_domain").domain(domain("sales"))).getMessage())
        .contains("mesh.clusterDomain = 'bad_domain'");
  }
}
