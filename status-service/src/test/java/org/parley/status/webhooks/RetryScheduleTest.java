package org.parley.status.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final List<Duration> SPEC = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(14),
            Duration.ofHours(20), Duration.ofHours(24));
    private final RetrySchedule schedule = new RetrySchedule(SPEC, 0.1, Duration.ofHours(24));

    @Test
    void followsTheSpecificationWithinTheJitterThenGivesUp() {
        for (int attempts = 1; attempts <= SPEC.size(); attempts++) {
            Duration base = SPEC.get(attempts - 1);
            assertThat(schedule.next(attempts, Optional.empty(), () -> 0.0)).contains(base.minus(base.dividedBy(10)));
            assertThat(schedule.next(attempts, Optional.empty(), () -> 0.5)).contains(base);
            assertThat(schedule.next(attempts, Optional.empty(), () -> 0.999999).get())
                    .isBetween(base, base.plus(base.dividedBy(10)));
        }
        assertThat(schedule.next(SPEC.size() + 1, Optional.empty(), () -> 0.5)).isEmpty();
        // About three days in all, the first attempt being immediate.
        assertThat(SPEC.stream().reduce(Duration.ZERO, Duration::plus)).isBetween(Duration.ofHours(75), Duration.ofHours(76));
    }

    @Test
    void retryAfterIsHonouredUpToItsLimitButNotPastTheLastAttempt() {
        assertThat(schedule.next(1, Optional.of(Duration.ofSeconds(90)), () -> 0.5)).contains(Duration.ofSeconds(90));
        assertThat(schedule.next(1, Optional.of(Duration.ofDays(9)), () -> 0.5)).contains(Duration.ofHours(24));
        assertThat(schedule.next(SPEC.size() + 1, Optional.of(Duration.ofSeconds(1)), () -> 0.5)).isEmpty();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        assertThat(RetrySchedule.parseRetryAfter("120", now)).contains(Duration.ofSeconds(120));
        assertThat(RetrySchedule.parseRetryAfter("Sun, 01 Mar 2026 10:01:00 GMT", now)).contains(Duration.ofSeconds(60));
        assertThat(RetrySchedule.parseRetryAfter("Sun, 01 Mar 2026 09:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetrySchedule.parseRetryAfter("soon", now)).isEmpty();
        assertThat(RetrySchedule.parseRetryAfter("99999999999999", now)).isEmpty();
        assertThat(RetrySchedule.parseRetryAfter(null, now)).isEmpty();
    }
}
