package io.kubemesh.core.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.KubemeshException;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.output.Phase;
import io.kubemesh.core.secret.GeneratedSecret;
import io.kubemesh.core.secret.SecretValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A mesh as Kubernetes manifests: one YAML stream, or a directory per domain for GitOps.
 *
 * <p>Generated Secrets are left out unless {@link #withSecrets(SecretValues)} is called, because their values are
 * credentials and because leaving them out keeps the output deterministic: the same mesh renders to the same
 * bytes. The applier creates such Secrets in the cluster (once; it never rotates them on re-apply). Rendering them
 * to disk is an explicit choice, for example for a sealed-secrets workflow.
 *
 * <pre>{@code
 * Rendering rendering = Rendering.of(model);
 * String yaml = rendering.toYaml();
 * rendering.toDirectory(Path.of("deploy"));
 * }</pre>
 */
public final class Rendering {
  static final String MARKER = ".kubemesh-rendered";
  // Jackson's serializer caches are per instance and costly to warm; a plain, unconfigured instance is safe to
  // share. Callers with their own configuration pass theirs to of(model, serialization).
  private static final KubernetesSerialization SHARED = new KubernetesSerialization();

  private final MeshModel model;
  private final Optional<SecretValues> secretValues;
  private final KubernetesSerialization serialization;

  private Rendering(MeshModel model, Optional<SecretValues> secretValues, KubernetesSerialization serialization) {
    this.model = model;
    this.secretValues = secretValues;
    this.serialization = serialization;
  }

  /** Renders {@code model}, leaving generated Secrets out. */
  public static Rendering of(MeshModel model) {
    return of(model, SHARED);
  }

  /** Renders {@code model} with a serialization of the caller's, for example one with extra modules. */
  public static Rendering of(MeshModel model, KubernetesSerialization serialization) {
    return new Rendering(model, Optional.empty(), serialization);
  }

  /**
   * A rendering that includes generated Secrets with values from {@code values}. The output then holds
   * credentials: keep it out of version control unless it is encrypted.
   */
  public Rendering withSecrets(SecretValues values) {
    return new Rendering(model, Optional.of(values), serialization);
  }

  /** The rendered objects in apply order. */
  public List<HasMetadata> objects() {
    return included().stream().map(this::materialize).toList();
  }

  /** Generated Secrets this rendering leaves out; empty when rendering with secrets. */
  public List<MeshObject> excludedSecrets() {
    if (secretValues.isPresent()) {
      return List.of();
    }
    return model.output().objects().stream().filter(MeshObject::isGeneratedSecret).toList();
  }

  /** One multi-document YAML stream, in apply order. */
  public String toYaml() {
    return included().stream().map(o -> document(materialize(o))).collect(Collectors.joining());
  }

  /**
   * Writes one folder per domain with a file per phase and a {@code kustomization.yaml}, plus a root
   * {@code kustomization.yaml} listing the domains, so that {@code kubectl kustomize} reads the tree as it is.
   * Files this method wrote before into {@code directory} are replaced; other files are left alone.
   *
   * @return the files written, relative to {@code directory}
   */
  public List<Path> toDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
      removePreviousRendering(directory);
      List<Path> written = new ArrayList<>();
      Map<String, Map<Phase, List<MeshObject>>> tree = new LinkedHashMap<>();
      model.domains().forEach(d -> tree.put(d.name(), new TreeMap<>()));
      for (MeshObject o : included()) {
        tree.get(o.domain()).computeIfAbsent(o.phase(), p -> new ArrayList<>()).add(o);
      }
      List<String> domainFolders = new ArrayList<>();
      for (Map.Entry<String, Map<Phase, List<MeshObject>>> domain : tree.entrySet()) {
        if (domain.getValue().isEmpty()) {
          continue;
        }
        Path folder = directory.resolve(domain.getKey());
        Files.createDirectories(folder);
        domainFolders.add(domain.getKey());
        List<String> files = new ArrayList<>();
        for (Map.Entry<Phase, List<MeshObject>> phase : domain.getValue().entrySet()) {
          String header = "# kubemesh: mesh " + model.name() + ", domain " + domain.getKey() + ", phase "
              + phase.getKey().slug() + "\n";
          String body = phase.getValue().stream().map(o -> document(materialize(o))).collect(Collectors.joining());
          written.add(write(directory, folder.resolve(phase.getKey().fileName()), header + body));
          files.add(phase.getKey().fileName());
        }
        written.add(write(directory, folder.resolve("kustomization.yaml"), kustomization(files)));
      }
      written.add(write(directory, directory.resolve("kustomization.yaml"), kustomization(domainFolders)));
      Files.writeString(directory.resolve(MARKER),
          written.stream().map(Path::toString).collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
      return written;
    } catch (IOException e) {
      throw KubemeshException.failed("could not write the rendering to " + directory + ": " + e.getMessage(), e);
    }
  }

  private static Path write(Path root, Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return root.relativize(file);
  }

  private static void removePreviousRendering(Path directory) throws IOException {
    Path marker = directory.resolve(MARKER);
    if (!Files.exists(marker)) {
      return;
    }
    for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        Path previous = directory.resolve(line).normalize();
        if (previous.startsWith(directory.normalize())) {
          Files.deleteIfExists(previous);
        }
      }
    }
  }

  private static String kustomization(List<String> resources) {
    StringBuilder sb = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n");
    sb.append("resources:\n");
    resources.forEach(r -> sb.append("- ").append(r).append('\n'));
    return sb.toString();
  }

  private List<MeshObject> included() {
    return model.output().objects().stream()
        .filter(o -> secretValues.isPresent() || !o.isGeneratedSecret())
        .toList();
  }

  private HasMetadata materialize(MeshObject o) {
    if (o.generatedSecret().isEmpty()) {
      return o.object();
    }
    return resolve(o, o.generatedSecret().get(), secretValues.orElseThrow());
  }

  /** The Secret of a generated recipe with values from {@code values}; shared with the applier. */
  public static Secret resolve(MeshObject placeholder, GeneratedSecret recipe, SecretValues values) {
    Map<String, String> data = new TreeMap<>();
    recipe.data().forEach((key, value) -> data.put(key, Base64.getEncoder()
        .encodeToString(values.resolve(value).getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder((Secret) placeholder.object()).withData(data).build();
  }

  private String document(HasMetadata object) {
    String yaml = serialization.asYaml(object);
    if (yaml.startsWith("---\n")) {
      yaml = yaml.substring(4);
    }
    return "---\n" + yaml;
  }
}
