package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The default StorageClass and the fake provisioner: claims bind, pods that mount them schedule. */
@KubemeshCluster
class StorageTest {
  private static final long WAIT_S = 120;

  private final KubernetesClient client;

  StorageTest(KubernetesClient client) {
    this.client = client;
  }

  private static PersistentVolumeClaim claim(String ns, String name, String size, String storageClass) {
    return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
        .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
  }

  private PersistentVolumeClaim awaitBound(String ns, String name) {
    return client.persistentVolumeClaims().inNamespace(ns).withName(name).waitUntilCondition(
        c -> c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()), WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  void defaultStorageClassIsThere() {
    StorageClass sc = client.storage().v1().storageClasses().withName(LocalControlPlane.STORAGE_CLASS).get();
    assertThat(sc.getProvisioner()).isEqualTo("kubemesh.io/fake-local");
    assertThat(sc.getMetadata().getAnnotations()).containsEntry("storageclass.kubernetes.io/is-default-class", "true");
    assertThat(sc.getVolumeBindingMode()).isEqualTo("Immediate");
    assertThat(sc.getReclaimPolicy()).isEqualTo("Delete");
  }

  @Test
  void claimWithoutClassGetsTheDefaultAndBindsToAVolumeOfItsSizeThatGoesWithIt(TestNamespace ns) {
    client.persistentVolumeClaims().resource(claim(ns.name(), "data", "3Gi", null)).create();

    PersistentVolumeClaim bound = awaitBound(ns.name(), "data");

    assertThat(bound.getSpec().getStorageClassName()).isEqualTo("standard");
    assertThat(bound.getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("3Gi"));
    PersistentVolume pv = client.persistentVolumes().withName(bound.getSpec().getVolumeName()).get();
    assertThat(pv.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/provisioned-by",
        "kubemesh.io/fake-local");
    assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("data");
    assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo(ns.name());
    assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("standard");
    assertThat(pv.getSpec().getHostPath().getPath()).contains("kubemesh-cp-");
    assertThat(pv.getStatus().getPhase()).isEqualTo("Bound");

    client.persistentVolumeClaims().inNamespace(ns.name()).withName("data").delete();
    client.persistentVolumes().withName(pv.getMetadata().getName())
        .waitUntilCondition(v -> v == null, WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  void claimOfAnotherClassIsLeftAlone(TestNamespace ns) {
    client.persistentVolumeClaims().resource(claim(ns.name(), "other", "1Gi", "somebody-elses")).create();
    client.persistentVolumeClaims().resource(claim(ns.name(), "mine", "1Gi", "standard")).create();

    awaitBound(ns.name(), "mine");

    PersistentVolumeClaim other = client.persistentVolumeClaims().inNamespace(ns.name()).withName("other").get();
    assertThat(other.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(other.getSpec().getVolumeName()).isNull();
  }

  @Test
  void deploymentThatMountsAClaimBecomesAvailable(TestNamespace ns) {
    ns.label("pod-security.kubernetes.io/enforce", "baseline");
    client.persistentVolumeClaims().resource(claim(ns.name(), "work", "1Gi", null)).create();
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("app").withNamespace(ns.name()).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "app").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "app").endMetadata().withNewSpec()
        .addNewContainer().withName("c").withImage("busybox:1.36").addNewVolumeMount().withName("work")
        .withMountPath("/work").endVolumeMount().endContainer()
        .addNewVolume().withName("work").withNewPersistentVolumeClaim().withClaimName("work")
        .endPersistentVolumeClaim().endVolume()
        .endSpec().endTemplate().endSpec().build();

    KubemeshApply.serverSideApply(client, List.of(d));

    assertThat(client.pods().inNamespace(ns.name()).withLabel("app", "app").list().getItems())
        .singleElement().satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  void statefulSetVolumeClaimTemplatesBindAndItsPodsRun(TestNamespace ns) {
    StatefulSet sts = new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace(ns.name()).endMetadata()
        .withNewSpec().withReplicas(2).withServiceName("db").withNewSelector().addToMatchLabels("app", "db")
        .endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata().withNewSpec()
        .addNewContainer().withName("c").withImage("busybox:1.36").addNewVolumeMount().withName("data")
        .withMountPath("/data").endVolumeMount().endContainer().endSpec().endTemplate()
        .withVolumeClaimTemplates(claim(null, "data", "2Gi", null))
        .endSpec().build();
    client.resource(sts).create();

    client.apps().statefulSets().inNamespace(ns.name()).withName("db").waitUntilCondition(s -> s != null
        && s.getStatus() != null && s.getStatus().getReadyReplicas() != null && s.getStatus().getReadyReplicas() == 2,
        WAIT_S, TimeUnit.SECONDS);

    assertThat(awaitBound(ns.name(), "data-db-0").getStatus().getCapacity().get("storage"))
        .isEqualTo(new Quantity("2Gi"));
    awaitBound(ns.name(), "data-db-1");
  }
}
