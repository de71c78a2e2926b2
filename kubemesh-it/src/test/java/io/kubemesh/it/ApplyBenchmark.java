package io.kubemesh.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubemesh.core.apply.ApplyOptions;
import io.kubemesh.core.apply.ApplyReport;
import io.kubemesh.core.apply.MeshApplier;
import io.kubemesh.core.apply.ObjectResult.Outcome;
import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.output.MeshObject;
import io.kubemesh.core.render.Rendering;
import io.kubemesh.core.secret.SecretValues;
import io.kubemesh.testing.LocalControlPlane;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Not a test: compares kubemesh's applier with {@code kubectl apply --server-side} on the local control plane and
 * prints a table (see {@code kubemesh-it/BENCHMARK.md} and {@code kubemesh-it/run-benchmark.sh}).
 *
 * <p>Arguments: {@code [domains=20] [runs=3] [renderDomains=100]}. Every timed step uses a fresh mesh (its own
 * namespaces) per tool and run; figures are medians over the runs. kubemesh runs with waits off
 * ({@code skipWaits()}), like kubectl. The very first kubemesh apply in this JVM is reported separately as "cold";
 * the "warm" figures come after applying a small mesh a few times.
 *
 * <p>kubectl requests are the {@code "Response" verb=... url=... status=...} lines its {@code -v=6} log prints, one
 * per HTTP request ({@code "Waited before sending request"} lines of its client-side throttling are not counted).
 *
 * <p>kubectl's ApplySet mode: with a namespaced parent (Secret/ConfigMap) the parent's namespace can only come from
 * {@code -n}, and {@code -n} makes kubectl reject every object of the files that declares another namespace. A mesh
 * spans many namespaces, so the kubectl runs use a cluster-scoped custom-resource parent
 * ({@code kubectlapplysets.bench.kubemesh.io}, CRD labelled {@code applyset.kubernetes.io/is-parent-type=true}),
 * created beforehand (kubectl does not create custom-resource parents) and without {@code -n}.
 */
public final class ApplyBenchmark {
  private static final List<String[]> ROWS = new ArrayList<>();
  private static final List<String> NOTES = new ArrayList<>();
  private static final String PARENT_GROUP = "bench.kubemesh.io";
  private static final String PARENT_KIND = "KubectlApplySet";
  private static final String PARENT_RESOURCE = "kubectlapplysets." + PARENT_GROUP;
  private static final List<Path> TEMP = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    int domains = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int renderDomains = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int keep = domains - Math.max(1, domains / 10);
    String machine = machine();
    String loadBefore = load();
    System.out.println(machine);
    System.out.println("load average at start: " + loadBefore);

    try (LocalControlPlane cp = LocalControlPlane.builder().start()) {
      KubernetesClient client = cp.client();
      Kubectl kubectl = new Kubectl(cp.binaries().binary("kubectl"), cp.kubeconfig());
      System.out.println("kubectl: " + kubectl.binary + ", control plane " + cp.serverVersion());
      ApplyOptions noWait = ApplyOptions.builder().quiet().skipWaits().build();

      MeshModel probe = ItEngines.webMesh("probe", "p", domains);
      int objects = probe.output().objects().size();
      int pruneObjects = objects - ItEngines.webMesh("probe", "p", keep).output().objects().size();
      row("mesh", domains + " domains, " + objects + " objects (" + objects / domains + " per domain)", "same", "");

      // ---------------------------------------------------------------- cold kubemesh (first apply in this JVM)
      MeshModel cold = ItEngines.webMesh("bcold", "kmcold", domains);
      Run coldFirst = kubemesh(client, noWait, cold);
      settle(client);
      Run coldNoop = kubemesh(client, noWait, cold);
      settle(client);
      phaseBreakdown("cold first apply", coldFirst.report);

      // ---------------------------------------------------------------- warm-up: small mesh, several times
      for (int i = 0; i < 3; i++) {
        MeshModel w = ItEngines.webMesh("bwarm" + i, "kmwarm" + i, 3);
        try (MeshApplier applier = MeshApplier.on(client, noWait)) {
          applier.apply(w);
          applier.apply(w);
          applier.apply(ItEngines.webMesh("bwarm" + i, "kmwarm" + i, 2));
        }
      }
      settle(client);

      // ---------------------------------------------------------------- kubectl parent type
      kubectl.setUpParentCrd();

      // ---------------------------------------------------------------- first apply + no-op, interleaved
      List<Run> kmFirst = new ArrayList<>();
      List<Run> kmNoop = new ArrayList<>();
      List<Run> kcFirst = new ArrayList<>();
      List<Run> kcNoop = new ArrayList<>();
      List<Run> kcSetNoop = new ArrayList<>();
      List<Path> kcDirs = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        MeshModel km = ItEngines.webMesh("bkm" + i, "km" + i, domains);
        // As a platform service uses it: one applier, opened inside the first apply's time, then re-applies.
        long t0 = System.nanoTime();
        try (MeshApplier applier = MeshApplier.on(client, noWait)) {
          kmFirst.add(kubemesh(applier, km, t0));
          settle(client);
          kmNoop.add(kubemesh(applier, km, System.nanoTime()));
        }
        settle(client);

        Path dir = render(ItEngines.webMesh("bkc" + i, "kc" + i, domains));
        kcDirs.add(dir);
        kcFirst.add(kubectl.run(false, "apply", "--server-side", "-R", "-f", dir.toString()));
        settle(client);
        kcNoop.add(kubectl.run(false, "apply", "--server-side", "-R", "-f", dir.toString()));
        settle(client);
        // Put the kubectl objects under an ApplySet (untimed: an adoption, neither a first apply nor a no-op),
        // then time the no-op in ApplySet mode, the kubectl equivalent of kubemesh's tracked apply.
        kubectl.createParent("bkc" + i);
        Run adopt = kubectl.run(true, "apply", "--server-side", "--prune", "--applyset=" + PARENT_RESOURCE + "/bkc" + i,
            "-R", "-f", dir.toString());
        if (!adopt.ok) {
          throw new IllegalStateException("kubectl ApplySet adoption failed, see stderr above");
        }
        settle(client);
        kcSetNoop.add(kubectl.run(true, "apply", "--server-side", "--prune",
            "--applyset=" + PARENT_RESOURCE + "/bkc" + i, "-R", "-f", dir.toString()));
        settle(client);
      }

      // ---------------------------------------------------------------- diagnostics: does parallelism help?
      for (int par : new int[] {1, 4, 16}) {
        Run r = kubemesh(client, ApplyOptions.builder().quiet().skipWaits().parallelism(par).build(),
            ItEngines.webMesh("bpar" + par, "kmpar" + par, domains));
        settle(client);
        NOTES.add("diagnostic: warm first apply with parallelism " + par + ": " + r.millis + " ms"
            + (par == 1 ? "" : " (default is 8)"));
        phaseBreakdown("first apply, parallelism " + par, r.report);
      }

      // ---------------------------------------------------------------- prune 10%
      List<Run> kmPrune = new ArrayList<>();
      List<Run> kcPrune = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        kmPrune.add(kubemesh(client, noWait, ItEngines.webMesh("bkm" + i, "km" + i, keep)));
        settle(client);
        Path dir2 = render(ItEngines.webMesh("bkc" + i, "kc" + i, keep));
        kcPrune.add(kubectl.run(true, "apply", "--server-side", "--prune",
            "--applyset=" + PARENT_RESOURCE + "/bkc" + i, "-R", "-f", dir2.toString()));
        settle(client);
      }

      // ---------------------------------------------------------------- informational: waits on
      Run waited = kubemesh(client, ApplyOptions.builder().quiet().build(), ItEngines.webMesh("bwait", "kmwait",
          domains));

      // ---------------------------------------------------------------- table rows
      row("first apply, cold JVM (1 run)", coldFirst.fmt(), "", "");
      row("no-op re-apply, cold JVM (2nd apply)", coldNoop.fmt(), "", "");
      Run f1 = median(kmFirst);
      Run f2 = median(kcFirst);
      row("first apply, warm (median of " + runs + ")", f1.fmt(), f2.fmt(),
          goal(f1.millis / (double) f2.millis, 0.33));
      Run n1 = median(kmNoop);
      Run n2 = median(kcNoop);
      row("no-op re-apply, warm (median)", n1.fmt(), n2.fmt(), goal(n1.millis / (double) n2.millis, 0.10)
          + ", requests " + ratio(n1.requests / (double) n2.requests));
      Run n3 = median(kcSetNoop);
      row("no-op re-apply vs kubectl ApplySet mode", n1.fmt(), n3.fmt() + " (--prune --applyset)",
          ratio(n1.millis / (double) n3.millis) + ", requests " + ratio(n1.requests / (double) n3.requests));
      Run p1 = median(kmPrune);
      Run p2 = median(kcPrune);
      row("prune " + (domains - keep) + " of " + domains + " domains (" + pruneObjects + " objects)",
          p1.fmt() + " " + p1.detail, p2.fmt() + " " + p2.detail, ratio(p1.millis / (double) p2.millis)
          + ", requests " + ratio(p1.requests / (double) p2.requests));
      row("first apply, waiting until ready (1 run)", waited.fmt(), "n/a", "");
      NOTES.add(String.format("runs (ms) kubemesh first %s, kubectl first %s; kubemesh no-op %s, kubectl no-op %s,"
          + " kubectl ApplySet no-op %s; kubemesh prune %s, kubectl prune %s", ms(kmFirst), ms(kcFirst), ms(kmNoop),
          ms(kcNoop), ms(kcSetNoop), ms(kmPrune), ms(kcPrune)));
      NOTES.add("kubectl request mix: first " + median(kcFirst).verbs + "; no-op " + median(kcNoop).verbs
          + "; ApplySet no-op " + median(kcSetNoop).verbs + "; prune " + median(kcPrune).verbs);
      NOTES.add("kubectl client-side throttling waits logged (ApplySet no-op / prune): "
          + median(kcSetNoop).throttled + " / " + median(kcPrune).throttled);
      phaseBreakdown("warm first apply (median run)", f1.report);
      phaseBreakdown("prune (median run)", p1.report);
      NOTES.add("after the apply steps: VmHWM " + vmHwm() + ", live threads " + Thread.activeCount()
          + " (vert.x event-loop threads: " + Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("vert.x-eventloop")).count() + ")");
    } finally {
      for (Path p : TEMP) {
        deleteTree(p);
      }
    }

    renderBench(ItEngines.webMesh("render", "r", renderDomains), renderDomains, Math.max(5, runs * 3));
    row("peak RSS of a JVM that builds and renders " + renderDomains + " domains (VmHWM, default JVM flags)",
        renderFootprint(renderDomains), "", "goal <= 512 MiB");
    NOTES.add("peak RSS of this benchmark JVM over the whole run (control-plane client, every apply, render): "
        + vmHwm());

    String cmd = "java " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
        + " -cp <classpath> " + ApplyBenchmark.class.getName() + " " + String.join(" ", args);
    System.out.println();
    System.out.println("## Result");
    System.out.println();
    System.out.println(machine);
    System.out.println("load average: at start " + loadBefore + ", at end " + load());
    System.out.println("command: " + cmd.trim());
    System.out.println();
    System.out.println("| step | kubemesh | kubectl / plain fabric8 | ratio (goal) |");
    System.out.println("|---|---|---|---|");
    ROWS.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    System.out.println();
    NOTES.forEach(n -> System.out.println("- " + n));
  }

  // ------------------------------------------------------------------ kubemesh

  /** One timed step: wall time, requests, and what it did. */
  record Run(long millis, long requests, String detail, String verbs, long throttled, boolean ok,
      ApplyReport report) {
    String fmt() {
      return millis + " ms, " + requests + " req" + (ok ? "" : " (FAILED)");
    }
  }

  /** A one-shot apply: a new applier (its client and connections included in the time), closed after. */
  private static Run kubemesh(KubernetesClient client, ApplyOptions options, MeshModel mesh) {
    long t0 = System.nanoTime();
    try (MeshApplier applier = MeshApplier.on(client, options)) {
      return kubemesh(applier, mesh, t0);
    }
  }

  /** An apply with an applier that is already open, timed from {@code t0}. */
  private static Run kubemesh(MeshApplier applier, MeshModel mesh, long t0) {
    ApplyReport r = applier.apply(mesh);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String detail = r.counts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name()
        .toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    if (!r.objects(Outcome.PRUNED).isEmpty() || !r.objects(Outcome.KEPT).isEmpty()) {
      detail = "(" + detail + "; waits until pruned objects are gone)";
    } else {
      detail = "(" + detail + ")";
    }
    System.out.printf("kubemesh %-8s %s: %d ms wall (report %d ms), %d req %s%n", mesh.name(), "apply", ms,
        r.took().toMillis(), r.requests(), detail);
    return new Run(ms, r.requests(), detail, "", 0, r.succeeded(), r);
  }

  private static void phaseBreakdown(String what, ApplyReport r) {
    if (r == null) {
      return;
    }
    String phases = r.phaseDurations().entrySet().stream()
        .map(e -> e.getKey().slug() + " " + e.getValue().toMillis() + " ms").collect(Collectors.joining(", "));
    long sum = r.phaseDurations().values().stream().mapToLong(d -> d.toMillis()).sum();
    NOTES.add("kubemesh " + what + ": " + r.took().toMillis() + " ms = phases [" + phases + "] + "
        + (r.took().toMillis() - sum) + " ms outside phases (desired state, parent, member LISTs, Secret GETs, "
        + "prune, parent update)");
  }

  /** Waits until the cluster is quiet: no namespace terminating and every Deployment available (kwok). */
  private static void settle(KubernetesClient client) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean terminating = client.namespaces().list().getItems().stream()
          .map(Namespace::getStatus).filter(Objects::nonNull).anyMatch(s -> "Terminating".equals(s.getPhase()));
      boolean rolling = client.apps().deployments().inAnyNamespace().list().getItems().stream()
          .anyMatch(ApplyBenchmark::rolling);
      if (!terminating && !rolling) {
        break;
      }
      sleep(250);
    }
    sleep(500);
  }

  private static boolean rolling(Deployment d) {
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    Integer avail = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
    return (avail == null ? 0 : avail) < want;
  }

  // ------------------------------------------------------------------ kubectl

  private static final class Kubectl {
    final Path binary;
    final Path kubeconfig;

    Kubectl(Path binary, Path kubeconfig) {
      this.binary = binary;
      this.kubeconfig = kubeconfig;
    }

    Run run(boolean applySet, String... args) throws Exception {
      List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--kubeconfig=" + kubeconfig, "-v=6"));
      cmd.addAll(List.of(args));
      Path out = Files.createTempFile("kubectl-out", ".log");
      Path err = Files.createTempFile("kubectl-err", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (applySet) {
        pb.environment().put("KUBECTL_APPLYSET", "true");
      }
      long t0 = System.nanoTime();
      int rc = pb.start().waitFor();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      List<String> errLines = Files.readAllLines(err, StandardCharsets.UTF_8);
      List<String> outLines = Files.readAllLines(out, StandardCharsets.UTF_8);
      Files.delete(out);
      Files.delete(err);
      List<String> responses = errLines.stream().filter(l -> l.contains("\"Response\" verb=\"")).toList();
      Map<String, Long> verbs = new TreeMap<>(responses.stream().map(l -> l.replaceAll(".*\"Response\" verb=\"(\\w+)\".*",
          "$1")).collect(Collectors.groupingBy(v -> v, Collectors.counting())));
      long throttled = errLines.stream().filter(l -> l.contains("client-side throttling")
          && l.contains("request.go") && l.contains("\"Waited before sending request\"")).count() / 2;
      Map<String, Long> actions = new TreeMap<>(outLines.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1))
          .collect(Collectors.groupingBy(v -> v, Collectors.counting())));
      String detail = "(" + actions.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
          .collect(Collectors.joining(", ")) + ")";
      if (rc != 0) {
        System.err.println("kubectl failed with exit code " + rc + ": " + String.join(" ", cmd));
        errLines.stream().filter(l -> !l.contains("round_trippers") && !l.contains("envvar.go")
            && !l.contains("request.go")).limit(40).forEach(l -> System.err.println("  stderr: " + l));
      }
      System.out.printf("kubectl  %-60s: %d ms, %d req %s %s%s%n", shorten(String.join(" ", args)), ms,
          responses.size(), verbs, detail, throttled > 0 ? ", " + throttled + " throttling waits" : "");
      return new Run(ms, responses.size(), detail, verbs.toString(), throttled, rc == 0, null);
    }

    void setUpParentCrd() throws Exception {
      Path f = Files.createTempFile("applyset-parent-crd", ".yaml");
      Files.writeString(f, """
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata:
            name: %s
            labels:
              applyset.kubernetes.io/is-parent-type: "true"
          spec:
            group: %s
            scope: Cluster
            names: {kind: %s, plural: kubectlapplysets, singular: kubectlapplyset, listKind: %sList}
            versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
          """.formatted(PARENT_RESOURCE, PARENT_GROUP, PARENT_KIND, PARENT_KIND));
      TEMP.add(f);
      check(run(false, "apply", "--server-side", "-f", f.toString()));
      check(run(false, "wait", "--for=condition=Established", "crd/" + PARENT_RESOURCE));
    }

    /** kubectl only adopts an existing custom-resource parent with its tooling annotation and id label. */
    void createParent(String name) throws Exception {
      Path f = Files.createTempFile("applyset-parent", ".yaml");
      Files.writeString(f, """
          apiVersion: %s/v1
          kind: %s
          metadata:
            name: %s
            labels: {applyset.kubernetes.io/id: %s}
            annotations: {applyset.kubernetes.io/tooling: kubectl/v1, applyset.kubernetes.io/contains-group-kinds: ""}
          """.formatted(PARENT_GROUP, PARENT_KIND, name, applySetId(name, "", PARENT_KIND, PARENT_GROUP)));
      TEMP.add(f);
      // As kubectl's own field manager for the parent, so that kubectl's later apply of it has no conflict.
      check(run(false, "apply", "--server-side", "--field-manager=kubectl-applyset", "-f", f.toString()));
    }

    private static void check(Run r) {
      if (!r.ok) {
        throw new IllegalStateException("kubectl set-up step failed, see stderr above");
      }
    }
  }

  /** kubectl's ApplySet id: applyset-base64url(sha256(name.namespace.kind.group))-v1. */
  static String applySetId(String name, String namespace, String kind, String group) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest(String.join(".", name, namespace, kind, group)
        .getBytes(StandardCharsets.UTF_8));
    return "applyset-" + Base64.getUrlEncoder().withoutPadding().encodeToString(h) + "-v1";
  }

  private static Path render(MeshModel model) throws IOException {
    Path dir = Files.createTempDirectory("kubemesh-bench-" + model.name() + "-");
    TEMP.add(dir);
    Rendering.of(model).withSecrets(SecretValues.secure()).toDirectory(dir);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")
          || f.getFileName().toString().startsWith(".")).toList()) {
        Files.delete(p);
      }
    }
    return dir;
  }

  // ------------------------------------------------------------------ render

  private static void renderBench(MeshModel big, int domains, int runs) {
    List<HasMetadata> plain = big.output().objects().stream().filter(o -> !o.isGeneratedSecret())
        .map(MeshObject::object).toList();
    KubernetesSerialization shared = new KubernetesSerialization();
    for (int i = 0; i < 5; i++) { // warm-up
      Rendering.of(big).toYaml();
      plainYaml(shared, plain);
      plainYaml(new KubernetesSerialization(), plain);
    }
    List<Long> km = new ArrayList<>();
    List<Long> fab = new ArrayList<>();
    List<Long> fabFresh = new ArrayList<>();
    String a = "";
    String b = "";
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      a = Rendering.of(big).toYaml();
      long t1 = System.nanoTime();
      b = plainYaml(shared, plain);
      long t2 = System.nanoTime();
      plainYaml(new KubernetesSerialization(), plain);
      long t3 = System.nanoTime();
      km.add((t1 - t0) / 1000);
      fab.add((t2 - t1) / 1000);
      fabFresh.add((t3 - t2) / 1000);
    }
    double r = medianLong(km) / (double) medianLong(fab);
    row("render " + domains + " domains (" + plain.size() + " objects), median of " + runs,
        medianLong(km) / 1000 + " ms, " + a.length() / 1024 + " KiB",
        medianLong(fab) / 1000 + " ms, " + b.length() / 1024 + " KiB", goal(r, 1.5));
    NOTES.add(String.format("render runs (ms): kubemesh %s; plain fabric8, one shared KubernetesSerialization %s; "
        + "plain fabric8 with a new KubernetesSerialization per run (what Rendering.of does) %s, median %d ms",
        us(km), us(fab), us(fabFresh), medianLong(fabFresh) / 1000));
  }

  private static String plainYaml(KubernetesSerialization ser, List<HasMetadata> objects) {
    StringBuilder sb = new StringBuilder();
    objects.forEach(o -> sb.append(ser.asYaml(o)));
    return sb.toString();
  }

  // ------------------------------------------------------------------ helpers

  private static Run median(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingLong(Run::millis));
    return sorted.get(sorted.size() / 2);
  }

  private static long medianLong(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static String ms(List<Run> runs) {
    return runs.stream().map(r -> String.valueOf(r.millis)).collect(Collectors.joining("/"));
  }

  private static String us(List<Long> micros) {
    return micros.stream().map(m -> String.valueOf(m / 1000)).collect(Collectors.joining("/"));
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f", r);
  }

  private static String goal(double r, double goal) {
    return ratio(r) + " (goal <= " + goal + ": " + (r <= goal ? "met" : "MISSED") + ")";
  }

  private static String machine() {
    long memKib = readProc("/proc/meminfo", "MemTotal");
    String kernel = exec("uname", "-r");
    return String.format(Locale.ROOT, "machine: nproc %d, memory %.1f GiB, kernel %s, Java %s (%s), JVM args %s",
        Runtime.getRuntime().availableProcessors(), memKib / 1024.0 / 1024.0, kernel,
        System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-Dstdout"))
            .toList());
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2] + " (1/5/15 min)";
    } catch (IOException e) {
      return "?";
    }
  }

  /** Runs {@link RenderFootprint} in a JVM of its own, with this JVM's class path and no extra flags. */
  private static String renderFootprint(int domains) {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), RenderFootprint.class.getName(), String.valueOf(domains))
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      NOTES.add("separate render JVM: " + out.strip());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("VmHWM: (\\d+) kB").matcher(out);
      return m.find() ? String.format(Locale.ROOT, "%.0f MiB", Long.parseLong(m.group(1)) / 1024.0) : "? (" + out + ")";
    } catch (IOException e) {
      return "? (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "? (interrupted)";
    }
  }

  private static String vmHwm() {
    long kib = readProc("/proc/self/status", "VmHWM");
    return kib < 0 ? "?" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
  }

  private static long readProc(String file, String key) {
    try (Stream<String> lines = Files.lines(Path.of(file))) {
      return lines.filter(l -> l.startsWith(key + ":")).map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst().orElse(-1L);
    } catch (IOException e) {
      return -1;
    }
  }

  private static String exec(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return s;
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }

  private static String shorten(String s) {
    String cp = System.getProperty("java.class.path", "");
    return cp.isEmpty() ? s : s.replace(cp, "<classpath>");
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // best effort
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void row(String what, String kubemesh, String other, String ratio) {
    ROWS.add(new String[] {what, kubemesh, other, ratio});
    System.out.printf("%-44s | %-40s | %-40s | %s%n", what, kubemesh, other, ratio);
  }
}
