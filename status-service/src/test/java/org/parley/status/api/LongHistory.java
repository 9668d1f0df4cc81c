package org.parley.status.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * A long history written straight into the statement table (a topic of that size would take minutes to fold):
 * n CONDITIONS_REITERATED statements a minute apart from base, the i-th at kafka_offset -i. A late report
 * through the topic then refolds the relationship and lays its snapshots, as the consumer does.
 */
final class LongHistory {
    private LongHistory() {
    }

    static void insert(DataSource dataSource, String id, String a, String b, int n, Instant base) throws Exception {
        String payload = "jsonb_build_object('eventId', e::text, 'type', t, 'source', ?, 'target', ?,"
                + " 'occurredAt', to_char(o AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                + " 'recordedAt', to_char(o AT TIME ZONE 'UTC' + interval '1 second', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))";
        String sql = "INSERT INTO statement (event_id, relationship_id, type, source, target, occurred_at, recorded_at,"
                + " kafka_partition, kafka_offset, payload)"
                + " SELECT e, ?, t, ?, ?, o, o + interval '1 second', 0, -i, " + payload
                + " || jsonb_build_object('conditions', jsonb_build_array('Sanctions relief'))"
                + " FROM (SELECT i, md5(? || i)::uuid AS e, 'CONDITIONS_REITERATED' AS t,"
                + "   ?::timestamptz + interval '1 minute' * (i - 1) AS o"
                + "   FROM generate_series(1, ?) AS i) AS g";
        String seed = id + System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            int p = 1;
            insert.setString(p++, id);
            insert.setString(p++, b);
            insert.setString(p++, a);
            insert.setString(p++, b);
            insert.setString(p++, a);
            insert.setString(p++, seed);
            insert.setString(p++, base.toString());
            insert.setInt(p, n);
            assertThat(insert.executeUpdate()).isEqualTo(n);
            try (var analyze = c.createStatement()) {
                analyze.execute("ANALYZE statement");
            }
        }
    }
}
