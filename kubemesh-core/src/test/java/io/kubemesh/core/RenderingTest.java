package io.kubemesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.render.Rendering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderingTest {
  private final MeshModel model = MeshModelTest.twoDomains();

  @Test
  void directoryHasAFolderPerDomainWithPhaseNumberedFiles(@TempDir Path dir) throws IOException {
    Rendering.of(model).toDirectory(dir);
    assertThat(dir.resolve("sales/00-namespaces-and-crds.yaml")).exists();
    assertThat(dir.resolve("sales/10-identity-and-policy.yaml")).exists();
    assertThat(dir.resolve("sales/40-workloads.yaml")).exists();
    assertThat(dir.resolve("marketing/20-configuration-and-secrets.yaml")).exists();
    assertThat(Files.readString(dir.resolve("kustomization.yaml")))
        .isEqualTo("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- sales\n"
            + "- marketing\n");
  }

  @Test
  void everyFileIsListedInItsKustomization(@TempDir Path dir) throws IOException {
    Rendering.of(model).toDirectory(dir);
    for (String domain : List.of("sales", "marketing")) {
      Path folder = dir.resolve(domain);
      String kustomization = Files.readString(folder.resolve("kustomization.yaml"));
      try (Stream<Path> files = Files.list(folder)) {
        List<String> yamls = files.map(p -> p.getFileName().toString())
            .filter(n -> !n.equals("kustomization.yaml")).sorted().collect(Collectors.toList());
        assertThat(yamls).isNotEmpty();
        for (String f : yamls) {
          assertThat(kustomization).contains("- " + f + "\n");
        }
        assertThat(kustomization.lines().filter(l -> l.startsWith("- ")).count()).isEqualTo(yamls.size());
      }
    }
  }

  @Test
  void directoryHoldsTheSameObjectsAsTheStream(@TempDir Path dir) throws IOException {
    Rendering rendering = Rendering.of(model);
    rendering.toDirectory(dir);
    KubernetesSerialization serialization = new KubernetesSerialization();
    long inFiles = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).toList()) {
        inFiles += count(serialization.unmarshal(Files.newInputStream(f)));
      }
    }
    assertThat(inFiles).isEqualTo(rendering.objects().size());
    Object parsed = serialization.unmarshal(
        new java.io.ByteArrayInputStream(rendering.toYaml().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(count(parsed)).isEqualTo(rendering.objects().size());
  }

  private static long count(Object parsed) {
    if (parsed instanceof List<?> list) {
      return list.size();
    }
    if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList list) {
      return list.getItems().size();
    }
    return parsed instanceof HasMetadata ? 1 : 0;
  }

  @Test
  void reRenderingReplacesItsOwnFilesAndLeavesOthersAlone(@TempDir Path dir) throws IOException {
    Path stale = dir.resolve("sales/99-old.yaml");
    Rendering.of(model).toDirectory(dir);
    Files.writeString(dir.resolve("notes.txt"), "mine");
    Files.writeString(dir.resolve(".kubemesh-rendered"),
        Files.readString(dir.resolve(".kubemesh-rendered")) + "sales/99-old.yaml\n");
    Files.writeString(stale, "old");
    Rendering.of(model).toDirectory(dir);
    assertThat(stale).doesNotExist();
    assertThat(dir.resolve("notes.txt")).hasContent("mine");
    assertThat(dir.resolve("sales/40-workloads.yaml")).exists();
  }

  @Test
  void renderedSecretsAppearOnlyWhenAskedFor(@TempDir Path dir) throws IOException {
    Rendering.of(model).toDirectory(dir);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).doesNotContain("kind: \"Secret\"");
      }
    }
    Rendering.of(model).withSecrets(io.kubemesh.core.secret.SecretValues.seeded(3)).toDirectory(dir);
    assertThat(Files.readString(dir.resolve("sales/20-configuration-and-secrets.yaml")))
        .contains("kind: \"Secret\"");
  }
}
