package org.parley.status;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** A test class that publishes to the run's topic (and reads it back): one companion client per class. */
public abstract class TopicTest {
    protected static KafkaCompanion kafka;

    @BeforeAll
    static void openCompanion() {
        kafka = Parley.companion();
    }

    @AfterAll
    static void closeCompanion() {
        kafka.close();
    }
}
