package org.parley.status.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs a webhook may be sent to: absolute http(s) URLs without user info, https only unless development
 * allows http, and hosts that resolve to public addresses only unless development allows private ones
 * (loopback, link-local, site-local, unique-local, carrier-grade NAT, wildcard, multicast). Checked at
 * registration and again before every attempt, since a name can resolve elsewhere later.
 */
public final class EndpointUrls {
    public static final int MAX_LENGTH = 2048;

    /** Why a URL is refused (the message says it to the operator). */
    public static class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private EndpointUrls() {
    }

    public static URI check(String url, boolean allowHttp, boolean allowPrivate) throws Refused {
        if (url == null || url.isBlank()) {
            throw new Refused("is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw new Refused("is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Refused(allowHttp ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new Refused("must name a host, without user info or fragment");
        }
        checkAddresses(uri.getHost(), allowPrivate);
        return uri;
    }

    /** Every address the host resolves to must be public (unless allowed). */
    public static void checkAddresses(String host, boolean allowPrivate) throws Refused {
        if (allowPrivate) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("names a host that does not resolve: " + host);
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                throw new Refused("resolves to a loopback, link-local or private address (" + address.getHostAddress() + ")");
            }
        }
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240;
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        return false;
    }
}
