package io.kubemesh.core.apply;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns API failures into sentences: conflicts name the other field manager, 403s the verb and resource. */
final class Errors {
  private static final Pattern CONFLICT_MANAGER = Pattern.compile("conflict with \"([^\"]+)\"");

  private Errors() {}

  /** A short description of a failed call; the server's own message where it has one. */
  static String describe(Throwable t) {
    KubernetesClientException k = find(t, KubernetesClientException.class);
    if (k != null && k.getCode() == 409 && isConflict(k)) {
      return conflict(k);
    }
    if (k != null && k.getCode() == 403) {
      return "forbidden (HTTP 403): " + serverMessage(k);
    }
    if (k != null && k.getCode() == 401) {
      return "unauthorized (HTTP 401): the client's credentials were rejected";
    }
    if (k != null && k.getCode() > 0) {
      return "HTTP " + k.getCode() + ": " + serverMessage(k);
    }
    if (unreachable(t)) {
      return "API server unreachable: " + rootMessage(t);
    }
    return rootMessage(t);
  }

  /** Whether the failure is that the server could not be reached at all. */
  static boolean unreachable(Throwable t) {
    if (find(t, ConnectException.class) != null || find(t, UnknownHostException.class) != null
        || find(t, ClosedChannelException.class) != null || find(t, java.io.IOException.class) != null
        || find(t, TimeoutException.class) != null) {
      return true;
    }
    // Some HTTP clients report a dropped connection with their own exception types.
    Set<Throwable> seen = new java.util.HashSet<>();
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      String name = c.getClass().getName();
      String msg = String.valueOf(c.getMessage());
      if (name.contains("Closed") || name.contains("Connect") || msg.contains("Connection refused")
          || msg.contains("Connection was closed") || msg.contains("Connection reset")) {
        return true;
      }
    }
    return false;
  }

  static boolean isConflict(KubernetesClientException k) {
    Status s = k.getStatus();
    return k.getCode() == 409 && s != null && s.getDetails() != null && s.getDetails().getCauses() != null
        && s.getDetails().getCauses().stream().anyMatch(c -> "FieldManagerConflict".equals(c.getReason()));
  }

  /** The managers that own conflicting fields, from the 409's causes. */
  static List<String> conflictManagers(KubernetesClientException k) {
    Set<String> managers = new LinkedHashSet<>();
    if (k.getStatus() != null && k.getStatus().getDetails() != null && k.getStatus().getDetails().getCauses() != null) {
      for (StatusCause c : k.getStatus().getDetails().getCauses()) {
        Matcher m = CONFLICT_MANAGER.matcher(String.valueOf(c.getMessage()));
        if (m.find()) {
          managers.add(m.group(1));
        }
      }
    }
    return new ArrayList<>(managers);
  }

  private static String conflict(KubernetesClientException k) {
    List<String> fields = new ArrayList<>();
    for (StatusCause c : k.getStatus().getDetails().getCauses()) {
      if (c.getField() != null) {
        fields.add(c.getField());
      }
    }
    return "field conflict with manager " + String.join(", ", conflictManagers(k).stream().map(m -> "'" + m + "'")
        .toList()) + " on " + String.join(", ", fields)
        + "; another tool owns these fields. Remove them there, or apply with forceConflicts(true) to take them";
  }

  static String serverMessage(KubernetesClientException k) {
    if (k.getStatus() != null && k.getStatus().getMessage() != null) {
      return k.getStatus().getMessage();
    }
    return rootMessage(k);
  }

  static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    String m = r.getMessage();
    return r.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static <T extends Throwable> T find(Throwable t, Class<T> type) {
    Set<Throwable> seen = new java.util.HashSet<>();
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  static boolean notFound(Throwable t) {
    KubernetesClientException k = find(t, KubernetesClientException.class);
    return k != null && k.getCode() == 404;
  }
}
