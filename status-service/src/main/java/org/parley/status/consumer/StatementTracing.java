package org.parley.status.consumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Continues the trace of the POST that published a statement: ingest-service writes the W3C trace context into
 * the record's headers (traceparent), and the span that applies the record here is its child. A batch is one
 * transaction, so each record's span covers the whole batch write; records without a trace context get none.
 */
@ApplicationScoped
public class StatementTracing {
    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    @Inject
    OpenTelemetry openTelemetry;

    private Tracer tracer;

    /** Runs the batch's write inside one span per traced record; a failure marks them all. */
    public <T> T applying(String topic, List<ConsumerRecord<byte[], byte[]>> records, Callable<T> write) throws Exception {
        List<Span> spans = start(topic, records);
        try {
            return write.call();
        } catch (Exception e) {
            spans.forEach(span -> span.setStatus(StatusCode.ERROR, "batch rolled back").recordException(e));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private List<Span> start(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        List<Span> spans = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.headers().lastHeader("traceparent") == null) {
                continue;
            }
            Context parent = openTelemetry.getPropagators().getTextMapPropagator()
                    .extract(Context.root(), r.headers(), HEADERS);
            spans.add(tracer().spanBuilder("process " + topic).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation.type", "process")
                    .setAttribute("messaging.destination.name", topic)
                    .setAttribute("messaging.destination.partition.id", Integer.toString(r.partition()))
                    .setAttribute("messaging.kafka.offset", r.offset())
                    .setAttribute("messaging.message.id", get(r.headers(), "ce_id"))
                    .startSpan());
        }
        return spans;
    }

    private static String get(Headers headers, String key) {
        String value = HEADERS.get(headers, key);
        return value == null ? "" : value;
    }

    private Tracer tracer() {
        if (tracer == null) {
            tracer = openTelemetry.getTracer("org.parley.status");
        }
        return tracer;
    }
}
