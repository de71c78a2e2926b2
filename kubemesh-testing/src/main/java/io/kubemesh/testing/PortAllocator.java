package io.kubemesh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out free TCP ports on 127.0.0.1, never the same one twice in this JVM (several control
 * planes may start in one test run). A port is free when the kernel gives it for an ephemeral bind;
 * the component that gets it binds it a moment later.
 */
final class PortAllocator {

  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private PortAllocator() {
  }

  /** A free port on 127.0.0.1 not handed out before by this JVM. */
  public static synchronized int freeLoopbackPort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(LOOPBACK, 0), 1);
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind an ephemeral port on " + LOOPBACK, e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port after 100 attempts");
  }

  /** Whether something accepts connections on 127.0.0.1:port. */
  public static boolean isListening(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new InetSocketAddress(LOOPBACK, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
