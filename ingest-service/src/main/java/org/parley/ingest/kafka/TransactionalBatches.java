package org.parley.ingest.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.parley.ingest.kafka.StatementPublisher.Ack;

/**
 * Batches, each in one Kafka transaction, under one deadline for the whole batch. A transactional producer runs
 * one transaction at a time, hence a small pool of them (one thread each): every Kafka call that can block
 * (initTransactions, a send waiting for metadata, commit, abort — each up to max.block.ms) happens on those
 * threads, never on a request's. The client is answered by the deadline whatever Kafka does: a batch not
 * committed by then is abandoned and aborted (a transaction already committing may still complete; a retry
 * with the same eventIds is then deduplicated downstream).
 */
final class TransactionalBatches {
    private static final Logger LOG = Logger.getLogger(TransactionalBatches.class);

    private final StatementTopic topic;
    private final Function<String, Map<String, Object>> producerConfig;
    private final BlockingQueue<Slot> slots;
    private final ThreadPoolExecutor threads;

    /** producerConfig: the configuration of a transactional producer, by transactional.id. */
    TransactionalBatches(StatementTopic topic, int producers, String transactionalIdPrefix,
            Function<String, Map<String, Object>> producerConfig) {
        this.topic = topic;
        this.producerConfig = producerConfig;
        this.slots = new ArrayBlockingQueue<>(producers);
        for (int i = 0; i < producers; i++) {
            slots.add(new Slot(transactionalIdPrefix + "-" + i));
        }
        // Waiting batches queue up to a few per producer; past that the answer is an immediate 503.
        this.threads = new ThreadPoolExecutor(producers, producers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(4 * producers), runnable -> {
                    Thread thread = new Thread(runnable, "parley-batch");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    void close() {
        threads.shutdownNow();
        slots.forEach(Slot::discard);
    }

    /** Completes with the records' positions in order once committed, or fails with PublishFailedException by the timeout. */
    CompletionStage<List<Ack>> publish(List<ProducerRecord<String, byte[]>> records, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<List<Ack>> answer = new CompletableFuture<>();
        String what = "batch of " + records.size() + " within " + timeout.toMillis() + " ms"; // not the records: the timer outlives a quick batch
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (!answer.isDone()) {
                answer.completeExceptionally(StatementPublisher.failed(what, null));
            }
        });
        try {
            threads.execute(() -> run(records, deadline, answer));
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(new PublishFailedException("too many batches are waiting for the broker", e));
        }
        return answer;
    }

    private void run(List<ProducerRecord<String, byte[]>> records, long deadline, CompletableFuture<List<Ack>> answer) {
        Slot slot = null;
        try {
            if (!topic.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                throw new PublishFailedException("topic " + topic.name() + " is not ready: the broker is unreachable", null);
            }
            slot = slots.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (slot == null) {
                throw new PublishFailedException("all transactional producers are busy", null);
            }
            List<Ack> acks = slot.commit(records, deadline, answer);
            if (!answer.complete(acks)) {
                LOG.warnf("A batch of %d committed after its client was told 503: a retry with the same eventIds is deduplicated",
                        records.size());
            }
        } catch (Exception e) {
            // Answer first, then clean up: the client does not wait for the abort.
            answer.completeExceptionally(e instanceof PublishFailedException p ? p
                    : StatementPublisher.failed("batch of " + records.size(), e));
            if (slot != null) {
                slot.abortOrDiscard(e);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            if (slot != null) {
                slots.add(slot);
            }
        }
    }

    /** One transactional producer, created on first use and recreated after a fatal error. */
    private final class Slot {
        private final String transactionalId;
        private KafkaProducer<String, byte[]> producer;

        Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }

        /** Stops at the first failed send, at the deadline, or once the client was answered: no commit then. */
        List<Ack> commit(List<ProducerRecord<String, byte[]>> records, long deadline, CompletableFuture<?> answer)
                throws InterruptedException, ExecutionException, TimeoutException {
            KafkaProducer<String, byte[]> p = producer();
            p.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> record : records) {
                if (answer.isDone() || System.nanoTime() > deadline) {
                    throw new TimeoutException("batch abandoned at its deadline after " + sent.size() + " sends");
                }
                Future<RecordMetadata> future = p.send(record);
                if (future.isDone()) {
                    future.get(); // a send that failed at once (e.g. no metadata within max.block.ms) ends the batch
                }
                sent.add(future);
            }
            List<Ack> acks = new ArrayList<>(sent.size());
            for (Future<RecordMetadata> future : sent) {
                RecordMetadata metadata = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acks.add(new Ack(metadata.partition(), metadata.offset()));
            }
            if (answer.isDone()) {
                throw new TimeoutException("batch abandoned at its deadline before the commit");
            }
            p.commitTransaction();
            return acks;
        }

        private KafkaProducer<String, byte[]> producer() {
            if (producer == null) {
                Map<String, Object> config = producerConfig.apply(transactionalId);
                config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
                KafkaProducer<String, byte[]> p = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
                try {
                    p.initTransactions(); // also aborts what a discarded producer of this id left open
                } catch (RuntimeException e) {
                    p.close(Duration.ZERO);
                    throw e;
                }
                producer = p;
            }
            return producer;
        }

        /**
         * Fenced, or a commit or abort that timed out (its outcome unknown): this producer cannot go on; the
         * next initTransactions with the same id aborts what it left open. Anything else: abort, so
         * read_committed consumers see none of the batch.
         */
        void abortOrDiscard(Exception e) {
            if (producer == null) {
                return;
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (fatal(cause) || !abort()) {
                discard();
            }
        }

        private boolean fatal(Throwable e) {
            return e instanceof ProducerFencedException || e instanceof OutOfOrderSequenceException
                    || e instanceof AuthorizationException || e instanceof UnsupportedVersionException
                    || e instanceof org.apache.kafka.common.errors.TimeoutException;
        }

        private boolean abort() {
            try {
                producer.abortTransaction();
                return true;
            } catch (RuntimeException e) {
                LOG.debugf(e, "Could not abort the transaction of %s", transactionalId);
                return false;
            }
        }

        void discard() {
            if (producer != null) {
                producer.close(Duration.ZERO);
                producer = null;
            }
        }
    }
}
