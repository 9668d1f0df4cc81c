package org.parley.status.persistence;

import java.time.Instant;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Read side of the relationship table; only {@link ProjectionWriter} writes it. */
@Entity
@Table(name = "relationship")
public class RelationshipEntity extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "party_a")
    public String partyA;
    @Column(name = "party_b")
    public String partyB;
    public String status;
    /** The domain Relationship as JSON, read as text and mapped with the application's ObjectMapper. */
    @ColumnTransformer(read = "state::text")
    public String state;
    @Column(name = "event_count")
    public int eventCount;
    /** Exact (nanoseconds) from state; the last_event_at column keeps microseconds only. */
    @ColumnTransformer(read = "(state->'lastEvent'->>'occurredAt')")
    @Column(name = "last_event_at")
    public String lastEventAt;
    public long version;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
