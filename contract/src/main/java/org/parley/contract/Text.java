package org.parley.contract;

/**
 * What text the contract stores. PostgreSQL's jsonb cannot hold NUL nor an unpaired surrogate, and a record it
 * cannot store would wedge its partition; other control characters have no place in a statement either. Text
 * that is present must say something: made only of spaces, format characters (U+FEFF, U+200B...) and the like
 * it is refused, since it would fold into an invisible condition or location.
 */
final class Text {
    private Text() {
    }

    /** Why this text cannot be stored, or null. Tab, line feed and carriage return are allowed. */
    static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (U+" + hex(c) + "), which is not Unicode text";
            } else if (c == 0) {
                return "contains a NUL character";
            } else if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r') {
                return "contains the control character U+" + hex(c);
            }
        }
        return null;
    }

    /** Some character that shows: not white space, a space separator, a format or control character. */
    static boolean visible(String text) {
        return text.codePoints().anyMatch(c -> !invisible(c));
    }

    /** White space, or a character that shows nothing (space separators such as U+00A0, U+FEFF, U+200B...). */
    static boolean invisible(int c) {
        int type = Character.getType(c);
        return Character.isWhitespace(c) || type == Character.SPACE_SEPARATOR || type == Character.FORMAT
                || type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** In code points, as JSON Schema's maxLength counts. */
    static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
