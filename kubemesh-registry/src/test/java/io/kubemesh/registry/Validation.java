package io.kubemesh.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubemesh.core.KubemeshException;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a mesh build that must fail and returns the message of its {@link KubemeshException}. */
final class Validation {
  private Validation() {}

  static String problems(Runnable build) {
    AtomicReference<String> message = new AtomicReference<>();
    assertThatThrownBy(build::run).isInstanceOfSatisfying(KubemeshException.class, e -> message.set(e.getMessage()));
    return message.get();
  }
}
