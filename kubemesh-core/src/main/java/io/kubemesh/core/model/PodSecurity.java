package io.kubemesh.core.model;

import io.kubemesh.core.engine.PodSecurityLevel;
import java.util.ArrayList;
import java.util.List;

/** The Pod Security level a domain's namespace enforces, and why it is looser than restricted if it is. */
record PodSecurity(PodSecurityLevel level, List<String> reasons) {

  static PodSecurity restricted() {
    return new PodSecurity(PodSecurityLevel.RESTRICTED, List.of());
  }

  PodSecurity loosen(PodSecurityLevel needed, String reason) {
    if (needed == PodSecurityLevel.RESTRICTED) {
      return this;
    }
    List<String> all = new ArrayList<>(reasons);
    all.add(reason);
    return new PodSecurity(needed.ordinal() > level.ordinal() ? needed : level, all);
  }
}
