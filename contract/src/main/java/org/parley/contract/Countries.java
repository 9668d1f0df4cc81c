package org.parley.contract;

import java.util.Locale;
import java.util.Set;

/** ISO 3166-1 alpha-3 country codes, upper case, as the JDK lists them. */
public final class Countries {
    public static final Set<String> ALPHA3 = Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3));

    private Countries() {
    }

    /** Three upper-case ASCII letters. */
    public static boolean hasForm(String code) {
        if (code.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = code.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    public static boolean isCode(String code) {
        return ALPHA3.contains(code);
    }
}
