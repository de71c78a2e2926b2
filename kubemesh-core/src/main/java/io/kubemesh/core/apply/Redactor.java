package io.kubemesh.core.apply;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps generated Secret values out of messages: every value sent in this run is replaced by {@code ***}. */
final class Redactor {
  private static final int MIN_LENGTH = 6;
  private final Set<String> values = ConcurrentHashMap.newKeySet();

  void add(String value) {
    if (value != null && value.length() >= MIN_LENGTH) {
      values.add(value);
    }
  }

  String redact(String message) {
    String out = message;
    for (String v : values) {
      if (out.contains(v)) {
        out = out.replace(v, "***");
      }
    }
    return out;
  }
}
