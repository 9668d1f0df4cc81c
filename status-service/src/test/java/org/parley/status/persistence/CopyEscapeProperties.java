package org.parley.status.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;

/** COPY's text format, as PostgreSQL reads it back: what StatementCopy.escape writes decodes to the value. */
class CopyEscapeProperties {

    @Property(tries = 2000)
    void anyTextSurvivesCopysTextFormat(
            @ForAll @Chars({ '\\', '\t', '\n', '\r', 'é', '한' }) @CharRange(from = ' ', to = '~') String value) {
        StringBuilder row = new StringBuilder("before\t");
        StatementCopy.escape(row, value);
        String field = row.substring("before\t".length());
        assertThat(field).doesNotContain("\t", "\n", "\r");
        assertThat(decode(field)).isEqualTo(value);
    }

    /** PostgreSQL's decoding of the escapes StatementCopy writes (COPY text format, "File Formats"). */
    private static String decode(String field) {
        StringBuilder value = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch != '\\') {
                value.append(ch);
                continue;
            }
            char next = field.charAt(++i);
            value.append(switch (next) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> next;
            });
        }
        return value.toString();
    }
}
