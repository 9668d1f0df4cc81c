package org.parley.status.api;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strong ETags out; If-None-Match in, compared weakly as RFC 9110 requires. */
public final class ETags {
    private static final Pattern TAG = Pattern.compile("\\s*(?:W/)?(\"[^\"]*\")\\s*(?:,|$)");

    private ETags() {
    }

    public static String of(String opaque) {
        return "\"" + opaque + "\"";
    }

    /** ifNoneMatch: every If-None-Match header value; a malformed one matches nothing. */
    public static boolean matches(List<String> ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String header : ifNoneMatch) {
            if (header == null) {
                continue;
            }
            if (header.trim().equals("*")) {
                return true;
            }
            Matcher m = TAG.matcher(header);
            int at = 0;
            while (at < header.length() && m.find(at) && m.start() == at) {
                if (m.group(1).equals(etag)) {
                    return true;
                }
                at = m.end();
            }
        }
        return false;
    }
}
