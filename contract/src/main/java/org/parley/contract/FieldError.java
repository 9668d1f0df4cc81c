package org.parley.contract;

/** One broken rule. {@code field} is a path such as {@code conditions[2]} or, in a batch, {@code [3].source}. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field == null ? message : field + ": " + message;
    }
}
