package io.kubemesh.it;

import io.kubemesh.core.model.MeshModel;
import io.kubemesh.core.render.Rendering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Builds and renders a mesh of N domains in a JVM of its own and prints its peak resident memory, so that the
 * figure is the renderer's and not what an apply benchmark in the same JVM left behind.
 *
 * <pre>{@code
 * java -cp <test classpath> io.kubemesh.it.RenderFootprint 100
 * }</pre>
 */
public final class RenderFootprint {
  private RenderFootprint() {}

  public static void main(String[] args) throws IOException {
    int domains = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    long t0 = System.nanoTime();
    MeshModel mesh = ItEngines.webMesh("footprint", "f", domains);
    String yaml = Rendering.of(mesh).toYaml();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      String hwm = lines.filter(l -> l.startsWith("VmHWM:")).findFirst().orElse("VmHWM: ?");
      System.out.println("render-footprint domains=" + domains + " objects=" + mesh.output().objects().size()
          + " yamlKiB=" + yaml.length() / 1024 + " buildAndRenderMs=" + ms + " " + hwm.replaceAll("\\s+", " "));
    }
  }
}
