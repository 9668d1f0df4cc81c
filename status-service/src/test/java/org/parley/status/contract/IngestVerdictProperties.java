package org.parley.status.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.parley.contract.Statement;
import org.parley.contract.StatementJson;
import org.parley.contract.StatementRules;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.consumer.StatementParser;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * For every body: ingest's verdict (202 or 400, what its POST /events decides) equals whether status-service's
 * decoder accepts and folds the record. An accepted body is published as ingest publishes it and must be
 * decoded, stored and folded; a refused one, put on the topic as another producer would (eventId and recordedAt
 * added), must be dead-lettered.
 */
class IngestVerdictProperties {
    // Non-ASCII as \\u escapes, so that unpaired surrogates reach the parser as JSON allows them to be written.
    private static final JsonMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    @Provide
    Arbitrary<Map<String, Object>> bodies() {
        return Arbitraries.randomValue(NastyBodies::body);
    }

    @Property(tries = 3000)
    void ingestAcceptsExactlyWhatStatusServiceFolds(@ForAll("bodies") Map<String, Object> body) throws Exception {
        byte[] posted = ESCAPING.writeValueAsBytes(body);
        StatementRules.Result verdict = StatementRules.request(StatementJson.read(posted), NastyBodies.NOW);
        boolean accepted = verdict.valid();
        Statistics.collect(accepted ? "202" : "400");

        byte[] key;
        byte[] value;
        if (accepted) {
            Statement published = verdict.statement().withRecordedAt(NastyBodies.NOW);
            key = published.relationshipId().getBytes(StandardCharsets.UTF_8);
            value = StatementJson.write(published);
        } else {
            Map<String, Object> record = new LinkedHashMap<>(body);
            record.putIfAbsent("eventId", UUID.randomUUID().toString());
            record.put("recordedAt", NastyBodies.NOW.toString());
            key = "PRK-USA".getBytes(StandardCharsets.UTF_8);
            value = ESCAPING.writeValueAsBytes(record);
        }
        StatementParser.Result consumed = StatementParser.parseForStorage(key, value);

        assertThat(consumed instanceof StatementParser.Parsed).as("status-service folds " + new String(posted,
                StandardCharsets.UTF_8) + " / ingest " + verdict.errors()).isEqualTo(accepted);
        if (consumed instanceof StatementParser.Parsed parsed) {
            assertThat(parsed.statement()).isEqualTo(verdict.statement().withRecordedAt(NastyBodies.NOW));
            assertThat(StatementRules.stored(parsed.payload())).isEqualTo(parsed.statement());
            Relationship folded = RelationshipFold.fold(parsed.statement().relationshipId(), List.of(parsed.statement()));
            if (parsed.statement().retracts() == null) {
                assertThat(folded.lastEvent().eventId()).isEqualTo(parsed.statement().eventId());
            } else {
                assertThat(folded.retractedIds()).contains(parsed.statement().retracts());
            }
        }
        // both verdicts must be common, or the property says little
        Statistics.coverage(coverage -> {
            coverage.check("202").percentage(p -> p > 15);
            coverage.check("400").percentage(p -> p > 15);
        });
    }
}
