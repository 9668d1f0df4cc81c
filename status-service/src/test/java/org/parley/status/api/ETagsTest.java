package org.parley.status.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ETagsTest {
    private static boolean matches(String... headers) {
        return ETags.matches(Arrays.asList(headers), ETags.of("42"));
    }

    @Test
    void ifNoneMatchIsComparedWeakly() {
        assertThat(ETags.of("42")).isEqualTo("\"42\"");
        assertThat(matches("\"42\"")).isTrue();
        assertThat(matches("W/\"42\"")).isTrue();
        assertThat(matches("\"1\", W/\"42\"")).isTrue();
        assertThat(matches("\"1\",\"42\"")).isTrue();
        assertThat(matches(" \"1\" ,  \"42\" ")).isTrue();
        assertThat(matches("\"1\"", "\"42\"")).isTrue();
        assertThat(matches("*")).isTrue();
        assertThat(matches(" * ")).isTrue();
    }

    @Test
    void anythingElseDoesNotMatch() {
        assertThat(ETags.matches(null, "\"42\"")).isFalse();
        assertThat(ETags.matches(List.of(), "\"42\"")).isFalse();
        assertThat(matches("")).isFalse();
        assertThat(matches("42")).isFalse();
        assertThat(matches("\"421\"")).isFalse();
        assertThat(matches("\"4\", \"2\"")).isFalse();
        assertThat(matches("w/\"42\"")).isFalse();
        assertThat(matches("garbage, \"42\"")).isFalse();
        assertThat(matches("\"42")).isFalse();
    }
}
