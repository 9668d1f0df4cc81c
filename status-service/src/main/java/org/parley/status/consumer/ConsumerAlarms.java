package org.parley.status.consumer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.parley.status.polling.HistoryGap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * What an operator must hear about the live consumer, as a log line, a metric and a health detail: a
 * partition held at a history gap (parley.consumer.history_gap{partition}: records deleted before they
 * were stored; the readiness check reports it), and a DLQ that cannot be written
 * (parley.dlq.unavailable, parley.dlq.send_failures: every partition stalls until it can).
 */
final class ConsumerAlarms {
    private static final Logger LOG = Logger.getLogger(ConsumerAlarms.class);

    private final MeterRegistry registry;
    private final String topic;
    private final String dlqTopic;
    private final Map<Integer, AtomicLong> gapGauges = new ConcurrentHashMap<>();
    private final AtomicLong dlqUnavailable = new AtomicLong();
    private final Counter dlqSendFailures;
    private volatile String dlqError;

    ConsumerAlarms(MeterRegistry registry, String topic, String dlqTopic) {
        this.registry = registry;
        this.topic = topic;
        this.dlqTopic = dlqTopic;
        Gauge.builder("parley.dlq.unavailable", dlqUnavailable, AtomicLong::get)
                .description("1 while the dead-letter topic cannot be written (every partition stalls meanwhile)")
                .register(registry);
        dlqSendFailures = Counter.builder("parley.dlq.send_failures")
                .description("Batches that could not write their rejected records to the dead-letter topic")
                .register(registry);
    }

    void gap(HistoryGap gap) {
        LOG.errorf("history gap on %s %s: the partition is held (not ready) until an operator acknowledges it"
                + " (POST /admin/history-gaps/acknowledge) or restores the records", topic, gap.describe());
        gapGauge(gap.partition()).set(gap.records());
    }

    void gapsAcknowledged() {
        gapGauges.values().forEach(gauge -> gauge.set(0));
    }

    private AtomicLong gapGauge(int partition) {
        return gapGauges.computeIfAbsent(partition, p -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("parley.consumer.history_gap", value, AtomicLong::get)
                    .tags(Tags.of("partition", Integer.toString(p)))
                    .description("Records of the partition deleted before they were stored; held until acknowledged")
                    .register(registry);
            return value;
        });
    }

    void dlqFailed(Exception e) {
        dlqSendFailures.increment();
        dlqError = e.toString();
        if (dlqUnavailable.getAndSet(1) == 0) {
            LOG.errorf("the dead-letter topic %s cannot be written (%s): every partition stalls until it can", dlqTopic, e);
        }
    }

    void dlqWritten() {
        if (dlqUnavailable.getAndSet(0) == 1) {
            LOG.infof("the dead-letter topic %s is written again", dlqTopic);
            dlqError = null;
        }
    }

    /** null while the DLQ is writable. */
    String dlqError() {
        return dlqUnavailable.get() == 1 ? dlqError : null;
    }
}
