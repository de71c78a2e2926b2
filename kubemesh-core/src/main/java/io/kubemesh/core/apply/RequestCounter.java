package io.kubemesh.core.apply;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.atomic.AtomicLong;

/** Counts every HTTP request the applier's client sends, retries included, through fabric8's interceptor API. */
final class RequestCounter implements Interceptor {
  static final String NAME = "kubemesh-request-counter";

  private final AtomicLong requests = new AtomicLong();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    requests.incrementAndGet();
  }

  long count() {
    return requests.get();
  }
}
