package org.parley.status.persistence;

import java.util.List;
import java.util.UUID;

import org.hibernate.annotations.ColumnTransformer;
import org.parley.contract.Statement;
import org.parley.contract.StatementRules;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Read side of the statement table; only {@link ProjectionWriter} writes it. */
@Entity
@Table(name = "statement")
public class StatementEntity extends PanacheEntityBase {
    @Id
    @Column(name = "event_id")
    public UUID eventId;
    @Column(name = "relationship_id")
    public String relationshipId;
    /** The record's JSON; statements are rebuilt from it, not from the microsecond timestamp columns. */
    @ColumnTransformer(read = "payload::text")
    public String payload;

    /** Every stored statement of the relationship, in no particular order (the fold sorts). */
    public static List<Statement> of(String relationshipId) {
        return StatementEntity.<StatementEntity>list("relationshipId", relationshipId).stream()
                .map(entity -> StatementRules.stored(entity.payload))
                .toList();
    }

    public static long countOf(String relationshipId) {
        return count("relationshipId", relationshipId);
    }
}
