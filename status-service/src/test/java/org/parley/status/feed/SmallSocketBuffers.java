package org.parley.status.feed;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tests only: small kernel send buffers on the HTTP server, so that a stream client that stops reading fills
 * its socket after a few dozen events instead of megabytes (loopback autotuning), and the service's own
 * bound on what it queues for that client is what the test observes.
 */
@ApplicationScoped
public class SmallSocketBuffers implements HttpServerOptionsCustomizer {
    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setSendBufferSize(4096);
    }
}
