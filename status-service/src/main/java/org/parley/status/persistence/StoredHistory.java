package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.parley.contract.Statement;
import org.parley.status.domain.FoldKey;
import org.parley.status.domain.FoldSnapshot;
import org.parley.status.domain.Refold;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * One relationship's stored statements and fold snapshots, as a refold reads and writes them: on the batch's
 * connection, in its transaction (the statements the batch stored are visible). Counts the statements it
 * streams back, which is what a refold costs. While it streams, the next statements are read on the connection
 * by another thread: the snapshots the refold lays meanwhile are written between two chunks of the stream.
 */
public final class StoredHistory implements Refold.Store<Exception> {
    private final Connection connection;
    private final ProjectionRepository repository;
    private final String relationshipId;
    private long read;
    /** Snapshots laid while streaming, not written yet; null when not streaming. */
    private List<FoldSnapshot> pending;

    public StoredHistory(Connection connection, ProjectionRepository repository, String relationshipId) {
        this.connection = connection;
        this.repository = repository;
        this.relationshipId = relationshipId;
    }

    /** Statements streamed back so far. */
    long read() {
        return read;
    }

    @Override
    public Map<UUID, Statement> statements(Collection<UUID> ids) throws Exception {
        return repository.statements(connection, relationshipId, ids);
    }

    @Override
    public Optional<FoldSnapshot> lastSnapshotBefore(FoldKey position) throws Exception {
        return repository.lastSnapshotBefore(connection, relationshipId, position);
    }

    @Override
    public void dropSnapshotsFrom(FoldKey position) throws Exception {
        repository.dropSnapshotsFrom(connection, relationshipId, position);
    }

    @Override
    public void saveSnapshots(List<FoldSnapshot> snapshots) throws Exception {
        if (pending != null) {
            pending.addAll(snapshots);
        } else {
            repository.saveSnapshots(connection, Map.of(relationshipId, snapshots));
        }
    }

    private void writePending() throws SQLException {
        if (!pending.isEmpty()) {
            try {
                repository.saveSnapshots(connection, Map.of(relationshipId, List.copyOf(pending)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a fold snapshot of " + relationshipId, e);
            }
            pending.clear();
        }
    }

    @Override
    public void inFoldOrder(FoldKey after, Set<UUID> retracted, Refold.Sink<Exception> sink) throws Exception {
        Exception[] failed = new Exception[1];
        pending = new ArrayList<>();
        try {
            FoldOrderStream.forFold(connection, repository.tables(), relationshipId, after, retracted, entry -> {
                read++;
                try {
                    sink.accept(entry);
                    return true;
                } catch (Exception e) {
                    failed[0] = e;
                    return false;
                }
            }, this::writePending).run();
            if (failed[0] != null) {
                throw failed[0];
            }
            writePending();
        } finally {
            pending = null;
        }
    }
}
