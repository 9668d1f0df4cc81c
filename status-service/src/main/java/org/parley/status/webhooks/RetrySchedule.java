package org.parley.status.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again (Standard Webhooks: at once, then after 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 20 h and 24 h, about three days in all), each delay moved by up to jitter either way. A 429 or
 * 503 with Retry-After waits what the receiver asked, up to a limit.
 */
public record RetrySchedule(List<Duration> delays, double jitter, Duration maxRetryAfter) {

    /** The wait before the next attempt after the given number of attempts failed; empty: give up. */
    public Optional<Duration> next(int attemptsMade, Optional<Duration> retryAfter, DoubleSupplier random) {
        if (attemptsMade < 1 || attemptsMade > delays.size()) {
            return Optional.empty();
        }
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get().isNegative() ? Duration.ZERO : retryAfter.get();
            return Optional.of(asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked);
        }
        Duration base = delays.get(attemptsMade - 1);
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Optional.of(Duration.ofNanos(Math.max(0, Math.round(base.toNanos() * factor))));
    }

    /** A Retry-After header: delay-seconds or an HTTP-date; anything else is ignored. */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            if (v.chars().allMatch(Character::isDigit) && v.length() <= 9) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            }
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
