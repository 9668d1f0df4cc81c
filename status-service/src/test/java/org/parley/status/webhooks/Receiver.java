package org.parley.status.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: records every request (headers by lower-case name, body)
 * and answers with the queued statuses in turn, then with a default.
 */
final class Receiver implements AutoCloseable {
    record Request(Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    record Answer(int status, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Answer> answers = new ConcurrentLinkedDeque<>();
    private volatile int otherwise = 204;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            requests.add(new Request(headers, body));
            Answer answer = answers.poll();
            if (answer == null) {
                answer = new Answer(otherwise, Map.of());
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] reply = ("answer " + answer.status()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : reply.length);
            if (answer.status() != 204) {
                exchange.getResponseBody().write(reply);
            }
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    Receiver answer(int status, Map<String, String> headers) {
        answers.add(new Answer(status, headers));
        return this;
    }

    Receiver otherwise(int status) {
        otherwise = status;
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
