package org.parley.status.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A position's identity is the same whether its text takes the plain-ASCII shortcut or the regular expression. */
class PositionsProperties {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    @Property(tries = 5000)
    void normalisingEqualsTrimmingCollapsingAndLowerCasing(@ForAll("texts") String text) {
        assertThat(Positions.normalise(text))
                .isEqualTo(WHITESPACE.matcher(text.strip()).replaceAll(" ").toLowerCase(Locale.ROOT));
    }

    @Provide
    Arbitrary<String> texts() {
        // ASCII letters and spaces (mostly plain), controls, Unicode spaces and letters whose case folds
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ q\t").ofMaxLength(12),
                Arbitraries.strings().withChars("Ab \u00a0\u2007\u3000\u0085\n\u001cÉİ").ofMaxLength(12),
                Arbitraries.strings().ascii().ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(8));
    }
}
