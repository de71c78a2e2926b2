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
    render(args).files().forEach(f -> System.out.println("    " + f));
  }

  /** The sample mesh and the files it was rendered to. */
  record Rendered(Mesh mesh, List<Path> files) {}

  /** Builds the sample mesh, renders it to {@code args[0]} (default {@code target/deploy}) and prints a summary. */
  static Rendered render(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "target/deploy");
    Mesh mesh = SampleMesh.build();
    List<Path> files = mesh.render().toDirectory(out);
    System.out.print(mesh.summary());
    System.out.println("  rendered " + files.size() + " files to " + out.toAbsolutePath());
    return new Rendered(mesh, files);
  }
}
