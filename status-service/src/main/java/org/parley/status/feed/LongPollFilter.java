package org.parley.status.feed;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.parley.contract.FieldError;
import org.parley.contract.RelationshipId;
import org.parley.status.persistence.RelationshipReads;
import org.parley.support.http.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Long-poll: a GET with If-None-Match that matches the current version and Prefer: wait=N is held until the
 * version moves (the resource then answers 200) or N seconds pass (304), N at most 60. The wait holds no
 * thread: the filter runs on the event loop and resumes the request when the change feed reports the
 * relationship (from any instance), or when the timer fires. Anything unusual (bad codes, asOf, no
 * relationship) passes straight through to the resource, which answers it.
 */
public class LongPollFilter {
    static final int MAX_WAIT_SECONDS = 60;
    private static final String APPLIED = "parley.long-poll.wait";

    @Inject
    Subscribers subscribers;
    @Inject
    RelationshipReads reads;

    @LongPoll
    // Non-blocking filters must run before every other one (Quarkus REST refuses to start otherwise).
    @ServerRequestFilter(nonBlocking = true, priority = 1)
    public Uni<Response> hold(ContainerRequestContext request, HttpServerRequest http) {
        List<String> ifNoneMatch = request.getHeaders().get(HttpHeaders.IF_NONE_MATCH);
        int wait;
        try {
            wait = wait(request.getHeaders().get("Prefer"));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(ProblemException.badRequest(List.of(new FieldError("Prefer",
                    "wait must be a whole number of seconds, e.g. Prefer: wait=30"))).toResponse());
        }
        if (wait <= 0 || ifNoneMatch == null || request.getUriInfo().getQueryParameters().containsKey("asOf")) {
            return Uni.createFrom().nullItem();
        }
        String id = relationshipId(request);
        if (id == null) {
            return Uni.createFrom().nullItem();
        }
        Long known = version(ifNoneMatch);
        if (known == null) {
            return Uni.createFrom().nullItem();
        }
        // A held long-poll takes a slot as a stream does: per client and per instance (bounds the waiters too).
        String client = subscribers.client(http);
        Response refused = subscribers.reserve(client);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                subscribers.release(client);
            }
        };
        request.setProperty(APPLIED, wait);
        // Listen first, then read: a change committed in between is not missed.
        CompletableFuture<Void> moved;
        try {
            moved = subscribers.await(id, version -> version != known);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return Uni.createFrom().item(() -> reads.stillAt(id, known))
                .runSubscriptionOn(subscribers.blocking())
                .onItem().transformToUni(matches -> {
                    if (!matches) {
                        return Uni.createFrom().<Response>nullItem();
                    }
                    return Uni.createFrom().completionStage(moved)
                            .ifNoItem().after(Duration.ofSeconds(wait)).recoverWithItem((Void) null)
                            .replaceWith((Response) null);
                })
                .onTermination().invoke(() -> {
                    moved.cancel(false);
                    release.run();
                });
    }

    @LongPoll
    @ServerResponseFilter
    public void applied(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(APPLIED) instanceof Integer wait) {
            response.getHeaders().putSingle("Preference-Applied", "wait=" + wait);
        }
    }

    /**
     * RFC 7240 "wait" among the Prefer headers' preferences: 0 when absent, at most 60. Other preferences are
     * ignored (RFC 7240: a server ignores those it does not support); a wait that is not a whole number of
     * seconds throws IllegalArgumentException (400).
     */
    static int wait(List<String> prefer) {
        if (prefer == null) {
            return 0;
        }
        for (String header : prefer) {
            for (String preference : header.split(",")) {
                String token = preference.split(";")[0].trim();
                int eq = token.indexOf('=');
                if (eq > 0 && token.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("wait")) {
                    String seconds = token.substring(eq + 1).trim();
                    if (seconds.length() > 2 && seconds.startsWith("\"") && seconds.endsWith("\"")) {
                        seconds = seconds.substring(1, seconds.length() - 1);
                    }
                    if (!seconds.matches("[0-9]{1,100}")) {
                        throw new IllegalArgumentException("wait=" + seconds);
                    }
                    // any longer than the cap is the cap (RFC 7240 lets the server wait less)
                    return seconds.length() > 3 ? MAX_WAIT_SECONDS : Math.min(MAX_WAIT_SECONDS, Integer.parseInt(seconds));
                }
            }
        }
        return 0;
    }

    private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("(?:W/)?\"(\\d+)(?:-[0-9a-fA-F]*)?\"");

    /** The projection version an If-None-Match names (ETags are "version" or "version-hash"); null: none. */
    static Long version(List<String> ifNoneMatch) {
        for (String header : ifNoneMatch) {
            for (String tag : header.split(",")) {
                var m = TAG.matcher(tag.trim());
                if (m.matches()) {
                    try {
                        return Long.parseLong(m.group(1));
                    } catch (NumberFormatException e) {
                        return null; // past any version: matches none, so nothing to wait for
                    }
                }
            }
        }
        return null;
    }

    private static String relationshipId(ContainerRequestContext request) {
        var path = request.getUriInfo().getPathParameters();
        String a = path.getFirst("a"), b = path.getFirst("b");
        if (a == null || b == null || !a.matches("[A-Za-z]{3}") || !b.matches("[A-Za-z]{3}") || a.equalsIgnoreCase(b)) {
            return null;
        }
        return RelationshipId.of(a.toUpperCase(Locale.ROOT), b.toUpperCase(Locale.ROOT));
    }

}
