package org.parley.status.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.YearMonth;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.parley.contract.FieldError;
import org.parley.support.http.ProblemException;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * Binds the typed query parameters (an asOf instant, a timeline cursor). A value that does not convert is a
 * 400 problem naming the parameter: thrown as a WebApplicationException, which the framework passes on as
 * it is (any other exception from a converter would become a 404).
 */
@Provider
public class QueryParams implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = name(annotations);
        if (rawType == Instant.class) {
            return (ParamConverter<T>) converter(name, QueryParams::instant, Instant::toString,
                    "must be an ISO-8601 instant with offset between the years 0001 and 9999, e.g. 2025-10-30T09:00:00Z");
        }
        if (rawType == YearMonth.class) {
            return (ParamConverter<T>) converter(name, QueryParams::month, YearMonth::toString,
                    "must be a month, YYYY-MM, between the years 0001 and 9999, e.g. 2025-10");
        }
        if (rawType == TimelineCursor.class) {
            return (ParamConverter<T>) converter(name, TimelineCursor::decode, TimelineCursor::encode,
                    "must be the cursor of a timeline page, as given in its next link");
        }
        return null;
    }

    /** The instants a query may name: what statements may carry, and what PostgreSQL and fold keys can hold. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static Instant instant(String value) {
        if (value.length() > 64) {
            throw new IllegalArgumentException("too long");
        }
        // an unencoded '+' of an offset arrives as a space
        Instant instant = OffsetDateTime.parse(value.trim().replace(' ', '+'), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant();
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new IllegalArgumentException("out of range");
        }
        return instant;
    }

    private static YearMonth month(String value) {
        if (!value.matches("\\d{4}-\\d{2}")) {
            throw new IllegalArgumentException("not YYYY-MM");
        }
        YearMonth month = YearMonth.parse(value);
        if (month.getYear() < 1) {
            throw new IllegalArgumentException("out of range");
        }
        return month;
    }

    private static <T> ParamConverter<T> converter(String name, java.util.function.Function<String, T> from,
            java.util.function.Function<T, String> to, String message) {
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null;
                }
                try {
                    return from.apply(value);
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    throw new BadRequestException(ProblemException.badRequest(
                            List.of(new FieldError(name, message))).toResponse());
                }
            }

            @Override
            public String toString(T value) {
                return to.apply(value);
            }
        };
    }

    private static String name(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                return query.value();
            }
        }
        return "query";
    }
}
