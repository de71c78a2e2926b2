package io.kubemesh.core.apply;

import io.kubemesh.core.output.Phase;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Hears how an apply, plan or destroy progresses. Methods are called from the calling thread, except
 * {@link #objectDone} which may come from a worker thread.
 *
 * <pre>{@code
 * MeshApplier.on(client, ApplyOptions.builder().listener(ApplyListener.quiet()).build());
 * }</pre>
 */
public interface ApplyListener {

  /** A phase starts; {@code objects} is how many of the mesh's objects belong to it. */
  default void phaseStarted(String operation, Phase phase, int objects) {}

  /** One object is done (applied and ready, unchanged, deleted, kept or failed). */
  default void objectDone(String operation, ObjectResult result) {}

  /** A phase ended; {@code done} of {@code total} objects of the whole run are done so far. */
  default void phaseDone(String operation, Phase phase, Duration took, int done, int total) {}

  /** Prints one line per phase with a running count, for example {@code apply  20-configuration-and-secrets  12/40  85 ms}. */
  static ApplyListener console() {
    return console(System.out);
  }

  /** {@link #console()} on another stream. */
  static ApplyListener console(PrintStream out) {
    return new ApplyListener() {
      @Override
      public void phaseDone(String operation, Phase phase, Duration took, int done, int total) {
        out.printf("kubemesh %-8s %-30s %4d/%-4d %6d ms%n", operation, String.format("%02d-%s", phase.order(),
            phase.slug()), done, total, took.toMillis());
      }
    };
  }

  /** Says nothing; for tests and embedding. */
  static ApplyListener quiet() {
    return new ApplyListener() {};
  }
}
