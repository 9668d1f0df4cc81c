package org.parley.status.polling;

/** Offsets from (inclusive) to to (exclusive) of a partition were deleted before they were stored. */
public record HistoryGap(int partition, long from, long to) {
    public long records() {
        return to - from;
    }

    public String describe() {
        return "partition " + partition + ": offsets " + from + " to " + (to - 1) + " deleted (" + records()
                + " records never stored)";
    }
}
