package io.kubemesh.registry;

import static io.kubemesh.registry.TestMeshes.configYaml;
import static io.kubemesh.registry.TestMeshes.deployment;
import static io.kubemesh.registry.TestMeshes.find;
import static io.kubemesh.registry.TestMeshes.mesh;
import static io.kubemesh.registry.TestMeshes.render;
import static io.kubemesh.registry.TestMeshes.secretValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.capability.ImageRegistry;
import io.kubemesh.core.capability.ObjectStore;
import io.kubemesh.core.engine.Engine;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RegistryEngineTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static List<HasMetadata> defaults() {
    return render(mesh(Registry.defaults()), SecretValues.seeded(1));
  }

  private static Map<String, EnvVar> env(Container c) {
    return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static Map<String, Volume> volumes(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getVolumes().stream()
        .collect(Collectors.toMap(Volume::getName, v -> v));
  }

  @Nested
  class Engine_ {
    @Test
    void isNamedRegistryAndProvidesAnImageRegistry() {
      Engine engine = Registry.defaults().engine();
      assertThat(engine.name()).isEqualTo("registry");
      assertThat(engine.component()).isEqualTo("image-registry");
      assertThat(engine.provides()).containsExactly(ImageRegistry.CAPABILITY);
      assertThat(engine.requires()).isEmpty();
      assertThat(Registry.defaults().s3Storage().engine().requires()).containsExactly(ObjectStore.CAPABILITY);
    }

    @Test
    void settingsAreImmutableValues() {
      Registry base = Registry.defaults();
      Registry changed = base.replicas(3).storage("50Gi");
      assertThat(base).isEqualTo(Registry.defaults());
      assertThat(changed).isNotEqualTo(base);
      assertThat(base.storage("50Gi").replicas(3)).isEqualTo(changed);
    }

    @Test
    void toStringNeverShowsTheTlsKey() {
      assertThat(Registry.defaults().tls(Pems.CERT, Pems.KEY).toString())
          .doesNotContain("PRIVATE").doesNotContain("BEGIN").contains("tls=pem");
    }
  }

  @Nested
  class OnAVolume {
    private final List<HasMetadata> objects = defaults();

    @Test
    void deploymentRunsThePinnedImageWithTheGeneratedConfig() {
      Deployment d = deployment(objects);
      assertThat(d.getSpec().getReplicas()).isEqualTo(1);
      assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
      Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(c.getName()).isEqualTo("registry");
      assertThat(c.getImage()).isEqualTo("registry:3.0.0");
      assertThat(c.getArgs()).containsExactly("/etc/distribution/config.yml");
      assertThat(c.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
          .containsExactly("registry=5000", "debug=5001");
      assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry("kubemesh.io/config-hash", RegistryObjects.sha256(configYaml(objects)));
    }

    @Test
    void probesUseTheDebugHealthEndpointAndTheRegistryPort() {
      Container c = deployment(objects).getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/debug/health");
      assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("debug");
      assertThat(c.getLivenessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("registry");
    }

    @Test
    void runsAsUid1000OnAReadOnlyRootWithItsOwnResources() {
      Deployment d = deployment(objects);
      var pod = d.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
      assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(1000L);
      assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
      Container c = pod.getContainers().get(0);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("100m"))
          .containsEntry("memory", new Quantity("128Mi"));
      assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("1"))
          .containsEntry("memory", new Quantity("512Mi"));
    }

    @Test
    void mountsConfigAuthDataAndTmp() {
      Deployment d = deployment(objects);
      Map<String, Volume> v = volumes(d);
      assertThat(v.keySet()).containsExactlyInAnyOrder("config", "auth", "data", "tmp");
      assertThat(v.get("config").getConfigMap().getName()).isEqualTo("registry-config");
      assertThat(v.get("auth").getSecret().getSecretName()).isEqualTo("registry-auth");
      assertThat(v.get("auth").getSecret().getItems()).extracting(i -> i.getKey()).containsExactly("htpasswd");
      assertThat(v.get("data").getPersistentVolumeClaim().getClaimName()).isEqualTo("registry-data");
      Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(c.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath() + ":" + m.getReadOnly())
          .containsExactly("config:/etc/distribution:true", "auth:/etc/distribution-auth:true",
              "data:/var/lib/registry:false", "tmp:/tmp:false");
    }

    @Test
    void secretsComeByReferenceOnly() {
      Map<String, EnvVar> env = env(deployment(objects).getSpec().getTemplate().getSpec().getContainers().get(0));
      assertThat(env.keySet()).containsExactlyInAnyOrder("REGISTRY_HTTP_SECRET", "OTEL_TRACES_EXPORTER");
      EnvVar http = env.get("REGISTRY_HTTP_SECRET");
      assertThat(http.getValue()).isNull();
      assertThat(http.getValueFrom().getSecretKeyRef().getName()).isEqualTo("registry-auth");
      assertThat(http.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("http-secret");
      assertThat(env.get("OTEL_TRACES_EXPORTER").getValue()).isEqualTo("none");
    }

    @Test
    void claimsTheVolume() {
      PersistentVolumeClaim pvc = find(objects, PersistentVolumeClaim.class, "platform", "registry-data");
      assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
      assertThat(pvc.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("10Gi"));
      assertThat(pvc.getSpec().getStorageClassName()).isNull();
      List<HasMetadata> fast = render(mesh(Registry.defaults().storage("50Gi").storageClass("fast-ssd")),
          SecretValues.seeded(1));
      PersistentVolumeClaim other = find(fast, PersistentVolumeClaim.class, "platform", "registry-data");
      assertThat(other.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
      assertThat(other.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("50Gi"));
    }

    @Test
    void servesAClusterIpServiceForPodsAndANodePortForNodes() {
      Service cluster = find(objects, Service.class, "platform", "registry");
      assertThat(cluster.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(cluster.getSpec().getPorts()).singleElement()
          .satisfies(p -> assertThat(p.getPort()).isEqualTo(5000))
          .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("registry"));
      assertThat(cluster.getSpec().getSelector()).containsEntry("app.kubernetes.io/name", "registry");
      Service node = find(objects, Service.class, "platform", "registry-nodeport");
      assertThat(node.getSpec().getType()).isEqualTo("NodePort");
      assertThat(node.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
      assertThat(node.getSpec().getPorts()).singleElement()
          .satisfies(p -> assertThat(p.getNodePort()).isEqualTo(30500));
    }

    @Test
    void opensOnlyTheRegistryPortToOtherSources() {
      NetworkPolicy np = find(objects, NetworkPolicy.class, "platform", "registry-ingress");
      assertThat(np.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "registry");
      assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
      assertThat(np.getSpec().getIngress()).singleElement().satisfies(rule -> {
        assertThat(rule.getFrom()).isNullOrEmpty();
        assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(5000);
      });
    }

    @Test
    void configFileIsTheWholeNonSecretConfiguration() {
      assertThat(configYaml(objects)).isEqualTo("""
          # CNCF distribution v3.0.0 configuration, generated by kubemesh.
          # Secrets are not here: REGISTRY_HTTP_SECRET and the S3 keys come from Secrets by environment.
          version: 0.1
          log:
            level: info
            formatter: text
          storage:
            filesystem:
              rootdirectory: /var/lib/registry
          http:
            addr: :5000
            headers:
              X-Content-Type-Options: [nosniff]
            debug:
              addr: :5001
          auth:
            htpasswd:
              realm: kubemesh-registry
              path: /etc/distribution-auth/htpasswd
          health:
            storagedriver:
              enabled: true
              interval: 10s
              threshold: 3
          """);
    }

    @Test
    void consumersGetTheNodeAddressAndAPullSecret() {
      Deployment app = find(objects, Deployment.class, "sales", "app");
      assertThat(app.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("localhost:30500/app:1.0");
      assertThat(app.getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting(r -> r.getName())
          .containsExactly("registry-pull");
      assertThat(find(objects, Secret.class, "sales", "registry-pull").getType())
          .isEqualTo("kubernetes.io/dockerconfigjson");
      assertThat(find(objects, Secret.class, "platform", "registry-pull").getType())
          .isEqualTo("kubernetes.io/dockerconfigjson");
    }

    @Test
    void capabilityCarriesAddressServiceUrlAndTls() {
      RegistryEngine engine = (RegistryEngine) Registry.defaults().address("registry.acme.example:30500").engine();
      MeshModel model = mesh(engine.settings());
      ImageRegistry r = engine.provide(ImageRegistry.CAPABILITY,
          new Engine.Consumer("sales", "sales", List.of()), new Site());
      assertThat(r.address()).isEqualTo("registry.acme.example:30500");
      assertThat(r.serviceUrl()).isEqualTo("http://registry.platform.svc.cluster.local:5000");
      assertThat(r.tls()).isFalse();
      assertThat(r.pullSecret()).isEqualTo("registry-pull");
      assertThat(find(render(model, SecretValues.seeded(1)), Deployment.class, "sales", "app")
          .getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("registry.acme.example:30500/app:1.0");
    }
  }

  @Nested
  class Credentials {
    private final List<HasMetadata> objects = defaults();

    @Test
    void pullSecretIsADockerConfigForThePullIdentity() {
      String json = secretValue(objects, "sales", "registry-pull", ".dockerconfigjson");
      String password = secretValue(objects, "platform", "registry-user-pull", "password");
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Map<String, String>>> parsed = JSON.unmarshal(json, Map.class);
      assertThat(parsed).containsOnlyKeys("auths");
      assertThat(parsed.get("auths")).containsOnlyKeys("localhost:30500");
      Map<String, String> entry = parsed.get("auths").get("localhost:30500");
      assertThat(entry).containsEntry("username", "pull").containsEntry("password", password);
      assertThat(new String(Base64.getDecoder().decode(entry.get("auth")), StandardCharsets.UTF_8))
          .isEqualTo("pull:" + password);
      assertThat(password).hasSize(32).matches("[A-Za-z0-9]+");
      assertThat(secretValue(objects, "platform", "registry-pull", ".dockerconfigjson")).isEqualTo(json);
    }

    @Test
    void everyIdentityHasABasicAuthSecret() {
      Secret push = find(objects, Secret.class, "platform", "registry-user-push");
      assertThat(push.getType()).isEqualTo("kubernetes.io/basic-auth");
      assertThat(secretValue(objects, "platform", "registry-user-push", "username")).isEqualTo("push");
      List<HasMetadata> custom = render(mesh(Registry.defaults().pushers("ci", "spark-images")), SecretValues.seeded(1));
      assertThat(secretValue(custom, "platform", "registry-user-ci", "username")).isEqualTo("ci");
      assertThat(secretValue(custom, "platform", "registry-user-spark-images", "username")).isEqualTo("spark-images");
      assertThat(custom.stream().filter(o -> o.getMetadata().getName().equals("registry-user-push"))).isEmpty();
      assertThat(Htpasswd.entries(secretValue(custom, "platform", "registry-auth", "htpasswd")))
          .containsOnlyKeys("ci", "spark-images", "pull");
    }

    @Test
    void htpasswdHoldsBcryptHashesOfTheGeneratedPasswords() {
      String htpasswd = secretValue(objects, "platform", "registry-auth", "htpasswd");
      assertThat(htpasswd.lines()).hasSize(2);
      assertThat(Htpasswd.entries(htpasswd)).containsOnlyKeys("push", "pull")
          .allSatisfy((user, hash) -> assertThat(hash).startsWith("$2y$10$").hasSize(60));
      for (String user : List.of("push", "pull")) {
        String password = secretValue(objects, "platform", "registry-user-" + user, "password");
        assertThat(Htpasswd.verifies(htpasswd, user, password)).as(user).isTrue();
        assertThat(Htpasswd.verifies(htpasswd, user, password + "x")).as(user + " with a wrong password").isFalse();
      }
      assertThat(Htpasswd.verifies(htpasswd, "push",
          secretValue(objects, "platform", "registry-user-pull", "password"))).isFalse();
    }

    @Test
    void htpasswdIsStableWhileThePasswordsAreAndChangesWithThem() {
      SecretValues values = SecretValues.seeded(7);
      var recipe = Htpasswd.file("platform", List.of("push", "pull"));
      String first = values.resolve(recipe);
      assertThat(values.resolve(recipe)).isEqualTo(first);
      // The applier recovers existing passwords by id: the same passwords give the same file.
      SecretValues recovered = SecretValues.secure()
          .remember(Htpasswd.passwordId("platform", "push"), values.resolve(Htpasswd.password("platform", "push")))
          .remember(Htpasswd.passwordId("platform", "pull"), values.resolve(Htpasswd.password("platform", "pull")));
      assertThat(recovered.resolve(recipe)).isEqualTo(first);
      assertThat(SecretValues.seeded(8).resolve(recipe)).isNotEqualTo(first);
    }

    @Test
    void httpSecretIsGenerated() {
      assertThat(secretValue(objects, "platform", "registry-auth", "http-secret")).hasSize(48);
    }

    @Test
    void noCredentialOutsideSecrets() {
      List<String> credentials = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
          .flatMap(s -> s.getData().values().stream())
          .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8))
          .flatMap(v -> v.lines())
          .filter(v -> v.length() >= 16)
          .toList();
      assertThat(credentials).isNotEmpty();
      String nonSecrets = objects.stream().filter(o -> !(o instanceof Secret)).map(JSON::asYaml)
          .collect(Collectors.joining());
      for (String credential : credentials) {
        assertThat(nonSecrets).doesNotContain(credential);
      }
      for (String password : List.of(secretValue(objects, "platform", "registry-user-pull", "password"),
          secretValue(objects, "platform", "registry-user-push", "password"))) {
        assertThat(nonSecrets).doesNotContain(password);
      }
      String plain = Rendering.of(mesh(Registry.defaults())).toYaml();
      assertThat(plain).doesNotContain("kind: Secret");
      for (String credential : credentials) {
        assertThat(plain).doesNotContain(credential);
      }
    }
  }

  @Nested
  class InTheObjectStore {
    private final List<HasMetadata> objects = render(mesh(Registry.defaults().s3Storage().replicas(2)),
        SecretValues.seeded(1));

    @Test
    void configPointsAtTheStoreByDnsUnderItsOwnPrefix() {
      String config = configYaml(objects);
      assertThat(config).contains("""
          storage:
            s3:
              regionendpoint: http://store.platform.svc.cluster.local:9000
              region: us-east-1
              bucket: platform
              forcepathstyle: true
              secure: false
              rootdirectory: /registry
            redirect:
              disable: true
          http:
          """);
      assertThat(config).doesNotContain("filesystem").doesNotContain("accesskey").doesNotContain("secretkey");
    }

    @Test
    void keysComeFromTheStoresSecret() {
      Map<String, EnvVar> env = env(deployment(objects).getSpec().getTemplate().getSpec().getContainers().get(0));
      for (String name : List.of("REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY")) {
        assertThat(env.get(name).getValue()).isNull();
        assertThat(env.get(name).getValueFrom().getSecretKeyRef().getName()).isEqualTo("store-access");
      }
      assertThat(env.get("REGISTRY_STORAGE_S3_ACCESSKEY").getValueFrom().getSecretKeyRef().getKey())
          .isEqualTo("AWS_ACCESS_KEY_ID");
      assertThat(env.get("REGISTRY_STORAGE_S3_SECRETKEY").getValueFrom().getSecretKeyRef().getKey())
          .isEqualTo("AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void runsReplicasWithoutAVolume() {
      Deployment d = deployment(objects);
      assertThat(d.getSpec().getReplicas()).isEqualTo(2);
      assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
      assertThat(volumes(d)).doesNotContainKey("data");
      assertThat(objects).noneMatch(PersistentVolumeClaim.class::isInstance);
    }

    @Test
    void aBucketOfItsOwnMustBeGrantedByTheStore() {
      String config = configYaml(render(mesh(Registry.defaults().s3Storage("images")), SecretValues.seeded(1)));
      assertThat(config).contains("    bucket: images\n").doesNotContain("rootdirectory");
      assertThat(Validation.problems(() -> mesh(Registry.defaults().s3Storage("nope"))))
          .contains("domains[platform].registry.s3Storage.bucket = 'nope'")
          .contains("does not grant this bucket")
          .contains("withMinio(m -> m.bucket(\"nope\"))");
    }

    @Test
    void withoutAStoreTheMeshSaysHowToAddOne() {
      assertThat(Validation.problems(() -> mesh(Registry.defaults().s3Storage(), false)))
          .contains("registry in domain 'platform' needs an object store: add withMinio() to the domain");
    }
  }

  @Nested
  class Tls {
    @Test
    void pemsGoIntoATlsSecretAndTheConfig() {
      Registry registry = Registry.defaults().tls(Pems.CERT, Pems.KEY).address("registry.acme.example:30500");
      List<HasMetadata> objects = render(mesh(registry), SecretValues.seeded(1));
      Secret tls = find(objects, Secret.class, "platform", "registry-tls");
      assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
      assertThat(secretValue(objects, "platform", "registry-tls", "tls.key")).isEqualTo(Pems.KEY);
      assertThat(configYaml(objects)).contains("""
            tls:
              certificate: /etc/distribution-tls/tls.crt
              key: /etc/distribution-tls/tls.key
          """);
      assertThat(volumes(deployment(objects)).get("tls").getSecret().getSecretName()).isEqualTo("registry-tls");
      assertThat(Rendering.of(mesh(registry)).toYaml()).doesNotContain("PRIVATE KEY");
      RegistryEngine engine = (RegistryEngine) registry.engine();
      assertThat(engine.serviceUrl(new Site())).isEqualTo("https://registry.platform.svc.cluster.local:5000");
    }

    @Test
    void anExistingSecretIsMountedAsItIs() {
      List<HasMetadata> objects = render(mesh(Registry.defaults().tls("registry-cert")), SecretValues.seeded(1));
      assertThat(volumes(deployment(objects)).get("tls").getSecret().getSecretName()).isEqualTo("registry-cert");
      assertThat(objects).noneMatch(o -> o.getMetadata().getName().equals("registry-tls"));
    }
  }

  /** A site for calling provide() directly. */
  static final class Site implements io.kubemesh.core.engine.EngineSite {
    @Override
    public String mesh() {
      return "acme";
    }

    @Override
    public String domain() {
      return "platform";
    }

    @Override
    public String namespace() {
      return "platform";
    }

    @Override
    public String clusterDomain() {
      return "cluster.local";
    }

    @Override
    public Map<String, String> selectorLabels() {
      return Map.of("app.kubernetes.io/name", "registry");
    }

    @Override
    public Map<String, String> standardLabels(String component) {
      return Map.of("app.kubernetes.io/name", "registry", "app.kubernetes.io/component", component);
    }
  }
}
