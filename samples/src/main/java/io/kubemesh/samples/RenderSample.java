package io.kubemesh.samples;

import io.kubemesh.Mesh;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders the sample mesh into a directory (one folder per domain, for GitOps) and prints what it wrote.
 *
 * <pre>{@code
 * RenderSample.main(new String[] {"target/deploy"});
 * }</pre>
 */
public final class RenderSample {
  private RenderSample() {}

  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "target/deploy");
    Mesh mesh = SampleMesh.build();
    List<Path> files = mesh.render().toDirectory(out);
    System.out.print(mesh.summary());
    System.out.println("  rendered " + files.size() + " files to " + out.toAbsolutePath());
    files.forEach(f -> System.out.println("    " + f));
  }
}
