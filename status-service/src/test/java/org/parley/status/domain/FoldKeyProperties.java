package org.parley.status.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fold key: text whose byte order is the fold order, and that gives the position back. */
class FoldKeyProperties {
    private static final long FIRST = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    /** Few distinct values per field, so that ties on occurredAt and recordedAt are common. */
    @Provide
    Arbitrary<FoldKey> positions() {
        Arbitrary<Instant> instants = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of(FIRST, LAST, 0L, 1_761_264_000L), Arbitraries.longs().between(FIRST, LAST)),
                Arbitraries.oneOf(Arbitraries.of(0, 1, 999_999_999, 500_000_000), Arbitraries.integers().between(0, 999_999_999)))
                .as(Instant::ofEpochSecond);
        Arbitrary<UUID> ids = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE), Arbitraries.longs()),
                Arbitraries.oneOf(Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE), Arbitraries.longs()))
                .as(UUID::new);
        return Combinators.combine(instants, instants, ids).as(FoldKey::new);
    }

    /** Two positions that often share occurredAt, recordedAt or both. */
    @Provide
    Arbitrary<FoldKey[]> pairs() {
        return Combinators.combine(positions(), positions(), Arbitraries.integers().between(0, 3))
                .as((a, other, shared) -> new FoldKey[] { a, new FoldKey(
                        shared >= 1 ? a.occurredAt() : other.occurredAt(),
                        shared >= 2 ? a.recordedAt() : other.recordedAt(),
                        shared == 3 && other.eventId().getMostSignificantBits() % 2 == 0
                                ? new UUID(a.eventId().getMostSignificantBits(), other.eventId().getLeastSignificantBits())
                                : other.eventId()) });
    }

    @Property(tries = 5000)
    void keysSortAsPositions(@ForAll("pairs") FoldKey[] pair) {
        FoldKey a = pair[0], b = pair[1];
        assertThat(Integer.signum(a.key().compareTo(b.key()))).isEqualTo(Integer.signum(a.compareTo(b)));
    }

    @Property(tries = 2000)
    void aKeyGivesItsPositionBack(@ForAll("positions") FoldKey position) {
        assertThat(FoldKey.ofKey(position.key())).isEqualTo(position);
        assertThat(position.key()).hasSize(82);
    }
}
