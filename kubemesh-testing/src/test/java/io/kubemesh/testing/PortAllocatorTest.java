package io.kubemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  @Test
  void portsAreDistinctAndBindableOnLoopback() throws Exception {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ports.add(PortAllocator.freeLoopbackPort());
    }
    assertThat(ports).hasSize(50).allMatch(p -> p > 0 && p < 65536);
    int p = ports.iterator().next();
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
      assertThat(PortAllocator.isListening(p)).isTrue();
    }
  }

  @Test
  void notListeningAfterClose() throws Exception {
    int p;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      p = s.getLocalPort();
    }
    assertThat(PortAllocator.isListening(p)).isFalse();
  }
}
