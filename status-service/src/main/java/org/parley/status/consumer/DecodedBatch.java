package org.parley.status.consumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.parley.contract.CloudEvents;
import org.parley.status.persistence.ProjectionWriter.Incoming;
import org.parley.status.polling.PolledBatch;

/**
 * A planned poll, decoded by the contract ({@link StatementParser}): the statements to store, and the records
 * that broke the contract, sorted out for the DLQ. Both consumers decode the same way; only the live one sends
 * the rejected records to the DLQ (a replay skips them: the live consumer sent them when it first read them).
 */
public record DecodedBatch(PolledBatch planned, List<Incoming> incoming, List<DeadLetters.Rejection> rejected) {

    /** The decoding step, on the loop's thread. */
    public static DecodedBatch decode(PolledBatch planned) {
        List<Incoming> incoming = new ArrayList<>(planned.records());
        List<DeadLetters.Rejection> rejected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : planned.polled()) {
            StatementParser.Result result = StatementParser.parseForStorage(r.key(), r.value());
            if (result instanceof StatementParser.Parsed parsed) {
                incoming.add(new Incoming(parsed.statement(), parsed.payload(), r.partition(), r.offset(),
                        CloudEvents.poster(name -> header(r, name))));
            } else {
                rejected.add(new DeadLetters.Rejection(r, ((StatementParser.Rejected) result).reason()));
            }
        }
        return new DecodedBatch(planned, incoming, rejected);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
