package org.parley.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class IngestTokensTest {

    @Test
    void refusesToStartWithoutAToken() {
        // What the prod profile meets when PARLEY_INGEST_TOKENS is missing or empty.
        for (Optional<String> configured : java.util.List.of(Optional.<String> empty(), Optional.of(" , "))) {
            assertThatThrownBy(() -> new IngestTokens(configured))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No ingest token is configured")
                    .hasMessageContaining("PARLEY_INGEST_TOKENS");
        }
    }

    @Test
    void acceptsExactlyTheConfiguredTokens() {
        IngestTokens tokens = new IngestTokens(Optional.of("alpha-token, beta-token"));

        assertThat(tokens.accepts("alpha-token")).isTrue();
        assertThat(tokens.accepts("beta-token")).isTrue();
        assertThat(tokens.accepts("alpha")).isFalse();
        assertThat(tokens.accepts("alpha-token ")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
    }
}
