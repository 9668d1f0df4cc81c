package org.parley.status.persistence;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jboss.logging.Logger;
import org.parley.contract.AuthContext;
import org.parley.contract.StatementType;
import org.parley.status.persistence.ProjectionWriter.Incoming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * A retraction counts only from the principal that posted the original, or from an editor. Enforced here, at
 * fold time, because a record on the topic may not have come through ingest's checks: a refused retraction is
 * not stored (so no fold, refold or read ever applies it), and it is logged and counted
 * (parley.retractions.refused). An original that named nobody (posted before ingest named its clients), or that
 * is not stored yet, does not restrict its retraction.
 */
final class RetractionOwnership {
    private static final Logger LOG = Logger.getLogger(RetractionOwnership.class);
    private static final Counter REFUSED = Metrics.counter("parley.retractions.refused");

    private RetractionOwnership() {
    }

    /** The eventIds the batch's retractions name. */
    static List<UUID> targets(Collection<Incoming> batch) {
        return batch.stream().filter(in -> in.statement().type() == StatementType.STATEMENT_RETRACTED)
                .map(in -> in.statement().retracts()).filter(Objects::nonNull).distinct().toList();
    }

    /**
     * Removes from the batch the retractions whose poster may not retract their target. storedPosters: the
     * poster of each stored target ("" where it named nobody); a target earlier in the same batch counts too.
     */
    static void refuseForeign(Map<UUID, Incoming> batch, Map<UUID, String> storedPosters) {
        for (Iterator<Incoming> it = batch.values().iterator(); it.hasNext();) {
            Incoming in = it.next();
            if (in.statement().type() != StatementType.STATEMENT_RETRACTED || in.statement().retracts() == null) {
                continue;
            }
            UUID target = in.statement().retracts();
            Incoming sameBatch = batch.get(target);
            String owner = storedPosters.containsKey(target) ? storedPosters.get(target)
                    : sameBatch != null && sameBatch.postedBy() != null ? sameBatch.postedBy().id() : "";
            AuthContext retractor = in.postedBy();
            boolean allowed = owner.isEmpty() || retractor != null && (retractor.editor() || owner.equals(retractor.id()));
            if (!allowed) {
                it.remove();
                REFUSED.increment();
                LOG.warnf("Retraction %s of %s refused: posted by %s, the original by %s, and only its poster or an "
                        + "editor may retract it (record at partition %d offset %d)", in.statement().eventId(), target,
                        retractor == null ? "nobody named" : retractor.id(), owner, in.partition(), in.offset());
            }
        }
    }
}
