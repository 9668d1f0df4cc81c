package org.parley.status.feed;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.restassured.RestAssured;

/** A test's SSE client over a real HTTP connection: collects the events and comments it reads. */
public final class EventStream implements AutoCloseable {

    /** One dispatched event (id, event name, data) or a comment (comment set, the rest null). */
    public record Event(String id, String name, String data, String comment) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final HttpResponse<Stream<String>> response;
    final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private EventStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "test-sse-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static EventStream open(String path) throws Exception {
        return open(path, Map.of());
    }

    public static EventStream open(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .header("Accept", "text/event-stream");
        headers.forEach(request::header);
        return new EventStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    private void read() {
        String id = null, name = null, comment = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString(), null));
                    }
                    id = name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comment = line.substring(1).trim();
                    events.add(new Event(null, null, null, comment));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            // closed by the test or the server
        }
    }

    /** The events with data (comments left out). */
    public List<Event> dataEvents() {
        List<Event> out = new ArrayList<>();
        events.stream().filter(e -> e.comment() == null).forEach(out::add);
        return out;
    }

    public List<String> comments() {
        return events.stream().filter(e -> e.comment() != null).map(Event::comment).toList();
    }

    boolean finished() {
        return !reader.isAlive();
    }

    @Override
    public void close() {
        reader.interrupt();
        response.body().close();
    }
}
