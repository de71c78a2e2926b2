package io.kubemesh.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.apply.ApplyOptions;
import io.kubemesh.core.apply.ApplyReport;
import io.kubemesh.core.apply.MeshApplier;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import io.kubemesh.testing.LocalControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a test: compares kubemesh's applier with {@code kubectl apply --server-side} on a 20-domain mesh and prints a
 * table. Run: {@code mvn -f kubemesh-it/pom.xml test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.kubemesh.it.ApplyBenchmark}.
 */
public final class ApplyBenchmark {
  private static final List<String[]> ROWS = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    int domains = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    try (LocalControlPlane cp = LocalControlPlane.builder().start()) {
      KubernetesClient client = cp.client();
      Path kubectl = cp.binaries().binary("kubectl");
      ApplyOptions noWait = ApplyOptions.builder().quiet().skipWaits().build();
      ApplyOptions wait = ApplyOptions.builder().quiet().build();

      MeshModel km = ItEngines.webMesh("bench", "km", domains);
      MeshModel kc = ItEngines.webMesh("kbench", "kc", domains);
      int objects = km.output().objects().size();
      row("mesh", domains + " domains, " + objects + " objects", "");

      ApplyReport first = MeshApplier.on(client, noWait).apply(km);
      Path dir = render(kc, domains);
      Timed k1 = kubectl(kubectl, cp.kubeconfig(), "apply", "--server-side", "--prune",
          "--applyset=kbench", "-n", "kubemesh-system", "-R", "-f", dir.toString());
      row("first apply, no waits", first.took().toMillis() + " ms, " + first.requests() + " req",
          k1.millis + " ms, " + k1.requests + " req");

      ApplyReport again = MeshApplier.on(client, noWait).apply(km);
      Timed k2 = kubectl(kubectl, cp.kubeconfig(), "apply", "--server-side", "--prune",
          "--applyset=kbench", "-n", "kubemesh-system", "-R", "-f", dir.toString());
      row("no-op re-apply", again.took().toMillis() + " ms, " + again.requests() + " req",
          k2.millis + " ms, " + k2.requests + " req");
      row("no-op / first (time)", String.format("%.2f", again.took().toMillis() / (double) first.took().toMillis()),
          String.format("%.2f", k2.millis / (double) k1.millis));

      int keep = domains - Math.max(1, domains / 10);
      ApplyReport pruned = MeshApplier.on(client, noWait).apply(ItEngines.webMesh("bench", "km", keep));
      Path dir2 = render(ItEngines.webMesh("kbench", "kc", keep), keep);
      Timed k3 = kubectl(kubectl, cp.kubeconfig(), "apply", "--server-side", "--prune",
          "--applyset=kbench", "-n", "kubemesh-system", "-R", "-f", dir2.toString());
      row("prune " + (domains - keep) + " of " + domains + " domains", pruned.took().toMillis() + " ms, "
          + pruned.requests() + " req (" + pruned.objects(io.kubemesh.core.apply.ObjectResult.Outcome.PRUNED).size()
          + " pruned, waits for deletion)", k3.millis + " ms, " + k3.requests + " req");

      ApplyReport waited = MeshApplier.on(client, wait).apply(ItEngines.webMesh("bench2", "kw", domains));
      row("first apply, waiting until ready", waited.took().toMillis() + " ms, " + waited.requests() + " req", "n/a");
    }
    MeshModel big = ItEngines.webMesh("render", "r", 100);
    renderBench(big);
    System.out.printf("%n%-36s | %-46s | %s%n", "", "kubemesh", "kubectl / plain fabric8");
    System.out.println("-".repeat(120));
    ROWS.forEach(r -> System.out.printf("%-36s | %-46s | %s%n", r[0], r[1], r[2]));
  }

  private static void renderBench(MeshModel big) {
    KubernetesSerialization ser = new KubernetesSerialization();
    List<HasMetadata> plain = big.output().objects().stream().filter(o -> !o.isGeneratedSecret())
        .map(MeshObject::object).toList();
    for (int i = 0; i < 3; i++) { // warm-up
      Rendering.of(big).toYaml();
      plainYaml(ser, plain);
    }
    long t0 = System.nanoTime();
    String a = Rendering.of(big).toYaml();
    long t1 = System.nanoTime();
    String b = plainYaml(ser, plain);
    long t2 = System.nanoTime();
    row("render 100 domains (" + plain.size() + " objects)", (t1 - t0) / 1_000_000 + " ms, " + a.length() / 1024
        + " KiB", (t2 - t1) / 1_000_000 + " ms, " + b.length() / 1024 + " KiB");
    row("peak RSS of this JVM (VmHWM)", vmHwm(), "");
  }

  private static String plainYaml(KubernetesSerialization ser, List<HasMetadata> objects) {
    StringBuilder sb = new StringBuilder();
    objects.forEach(o -> sb.append(ser.asYaml(o)));
    return sb.toString();
  }

  private static String vmHwm() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("VmHWM")).map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static Path render(MeshModel model, int domains) throws IOException {
    Path dir = Files.createTempDirectory("kubemesh-bench-" + domains + "-");
    Rendering.of(model).withSecrets(SecretValues.secure()).toDirectory(dir);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")
          || f.getFileName().toString().startsWith(".")).toList()) {
        Files.delete(p);
      }
    }
    return dir;
  }

  record Timed(long millis, long requests) {}

  private static Timed kubectl(Path kubectl, Path kubeconfig, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + kubeconfig, "-v=6"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("KUBECTL_APPLYSET", "true");
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long requests = out.lines().filter(l -> l.matches(".*\\b(GET|PATCH|POST|PUT|DELETE) https?://.*")).count();
    if (rc != 0) {
      System.err.println("kubectl failed (" + rc + "): " + out.lines().filter(l -> !l.contains("round_trippers"))
          .limit(20).toList());
    }
    return new Timed(ms, requests);
  }

  private static void row(String what, String kubemesh, String other) {
    ROWS.add(new String[] {what, kubemesh, other});
    System.out.printf("%-36s | %-46s | %s%n", what, kubemesh, other);
  }
}
