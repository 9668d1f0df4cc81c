package org.parley.contract;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The eventId of a statement sent without one: a name-based UUID (version 5, RFC 9562) over its canonical
 * content, so that a client retrying the same body after a 503 or a timeout gets the same eventId, and the
 * statement counts once. Canonical: the record value without eventId and recordedAt, so instants in UTC
 * (an offset or a fraction written differently names the same statement) and fields in the schema's order.
 * A client that means two identical statements sends two eventIds.
 */
public final class EventIds {
    /** The namespace of Parley's derived eventIds (a fixed random UUID). */
    public static final UUID NAMESPACE = UUID.fromString("9a3e5b1c-4f2d-4c6a-8e7b-0d1f2a3b4c5d");

    private EventIds() {
    }

    public static UUID derive(Statement statement) {
        byte[] content = StatementJson.write(statement.withEventId(null).withRecordedAt(null));
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer namespace = ByteBuffer.allocate(16);
        namespace.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
        sha1.update(namespace.array());
        byte[] hash = sha1.digest(content);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong());
    }
}
