package org.parley.status.api;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.Status;

/**
 * GET /relationships/{a}/{b}/month-ends: the relationship as it stood at the end of each month, what ?asOf
 * answers for each, in one request (the board's trend drew one asOf request per month).
 */
public record MonthEndsView(String id,
        @Schema(description = "Oldest first, one per month") List<MonthEnd> months) {

    /** The most months one request may span: five years (the board draws three). */
    static final int MAX_MONTHS = 60;

    public record MonthEnd(
            @Schema(description = "The month, YYYY-MM", example = "2025-10") String month,
            @Schema(description = "The instant the state is taken at: the first instant of the next month, or `until` "
                    + "for the last month when it comes earlier") Instant asOf,
            Status status,
            @Schema(description = "The party whose answer was awaited then, if any") String awaitingResponseFrom,
            @Schema(description = "Since when that answer was awaited (the open invitation's issuedAt)") Instant silentSince,
            @Schema(description = "Statements in effect then (0: none yet, or every one retracted)") int eventCount) {
    }

    /** The instants each month from `from` to until's month is taken at, oldest first. */
    static List<Instant> ends(YearMonth from, Instant until) {
        YearMonth last = YearMonth.from(until.atOffset(ZoneOffset.UTC));
        List<Instant> ends = new ArrayList<>();
        for (YearMonth month = from; !month.isAfter(last); month = month.plusMonths(1)) {
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            ends.add(end.isAfter(until) ? until : end);
        }
        return ends;
    }

    static MonthEndsView of(String id, YearMonth from, List<Instant> ends, List<Relationship> states) {
        List<MonthEnd> months = new ArrayList<>(ends.size());
        for (int i = 0; i < ends.size(); i++) {
            Relationship r = states.get(i);
            months.add(new MonthEnd(from.plusMonths(i).toString(), ends.get(i), r.status(), r.awaitingResponseFrom(),
                    r.silentSince(), r.eventCount()));
        }
        return new MonthEndsView(id, months);
    }
}
