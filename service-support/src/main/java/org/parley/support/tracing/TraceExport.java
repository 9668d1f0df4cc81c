package org.parley.support.tracing;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Keeps spans in the process unless an OTLP endpoint is configured. Quarkus' OTLP exporter otherwise sends to
 * localhost:4317 and logs a failure for every batch; it steps aside whenever an application SpanExporter bean
 * is available, so this one is available exactly while both endpoint settings are at their default.
 * Trace context still propagates (traceparent headers, ids in the logs) either way.
 */
@Dependent
public class TraceExport {
    static final String DEFAULT_ENDPOINT = "http://localhost:4317/";

    @Produces
    @Singleton
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.endpoint", stringValue = DEFAULT_ENDPOINT, lookupIfMissing = true)
    @LookupIfProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint", stringValue = DEFAULT_ENDPOINT, lookupIfMissing = true)
    SpanExporter noExport() {
        return SpanExporter.composite(); // of none: the SDK's no-op exporter
    }
}
