package org.parley.status.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A registered receiver of change events (webhook_endpoint, V8__webhooks.sql; Flyway owns the schema). Empty
 * filters match everything. While a rotation's overlap lasts, the previous secret signs beside the current one.
 */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint extends PanacheEntityBase {
    @Id
    public UUID id;
    public String url;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] parties;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] statuses;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "event_kinds", columnDefinition = "text[]")
    public String[] eventKinds;
    public String secret;
    @Column(name = "previous_secret")
    public String previousSecret;
    @Column(name = "previous_secret_until")
    public Instant previousSecretUntil;
    public boolean enabled;
    @Column(name = "disabled_reason")
    public String disabledReason;
    @Column(name = "from_change_seq")
    public long fromChangeSeq;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    /** The secrets that sign now: the current one, and the previous one until its overlap ends. */
    public List<String> signingSecrets(Instant now) {
        return signingSecrets(secret, previousSecret, previousSecretUntil, now);
    }

    static List<String> signingSecrets(String secret, String previous, Instant previousUntil, Instant now) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(secret);
        if (previous != null && previousUntil != null && now.isBefore(previousUntil)) {
            secrets.add(previous);
        }
        return secrets;
    }

    public List<String> partyList() {
        return Arrays.asList(parties);
    }

    public List<String> statusList() {
        return Arrays.asList(statuses);
    }

    public List<String> eventKindList() {
        return eventKinds == null ? List.of() : Arrays.asList(eventKinds);
    }
}
