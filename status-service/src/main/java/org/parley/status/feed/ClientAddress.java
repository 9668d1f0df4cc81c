package org.parley.status.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.vertx.core.http.HttpServerRequest;

/**
 * Who a request counts against for the per-client limits: the connection's peer address, or, when that peer is
 * one of the trusted proxies (parley.stream.trusted-proxies), the nearest X-Forwarded-For hop that is not.
 * Anyone can write X-Forwarded-For, so it counts only behind a proxy that is trusted to set it.
 */
final class ClientAddress {
    /** Longer than any IPv6 text form: anything beyond is not an address. */
    private static final int MAX_LENGTH = 64;

    private ClientAddress() {
    }

    static String of(HttpServerRequest request, Set<String> trustedProxies) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        return of(peer, request.headers().getAll("X-Forwarded-For"), trustedProxies);
    }

    /** forwardedFor: every X-Forwarded-For header, in order; each a comma-separated list, nearest hop last. */
    static String of(String peer, List<String> forwardedFor, Set<String> trustedProxies) {
        if (!trustedProxies.contains(peer) || forwardedFor == null) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (hop.length() > MAX_LENGTH) {
                return peer; // not an address a trusted proxy wrote
            }
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }
}
