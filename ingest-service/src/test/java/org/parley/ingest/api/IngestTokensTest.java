package org.parley.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.parley.support.http.TokenSettings;

class IngestTokensTest {

    @Test
    void refusesToStartWithoutAToken() {
        // What the prod profile meets when PARLEY_INGEST_TOKENS is missing or empty.
        for (Optional<String> configured : List.of(Optional.<String> empty(), Optional.of(" , "))) {
            assertThatThrownBy(() -> IngestTokens.of(configured, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No ingest token is configured")
                    .hasMessageContaining("PARLEY_INGEST_TOKENS");
        }
    }

    @Test
    void theProdProfileRefusesToStartWithTheDevelopmentToken() {
        // The prod profile of the real application.properties, with the token set as an operator would.
        TokenSettings prod = TokenSettings.in("prod", IngestTokens.ROLE,
                Map.of("parley.ingest.tokens", "secret-token, dev-ingest-token"));
        assertThat(prod.developmentTokensAllowed()).isFalse();
        assertThatThrownBy(() -> IngestTokens.of(prod.tokens(), prod.developmentTokensAllowed()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("development ingest token");
        // A development setup says so explicitly; the dev and test profiles do.
        assertThat(IngestTokens.of(Optional.of("dev-ingest-token"), true).accepts("dev-ingest-token")).isTrue();
        assertThat(TokenSettings.in("dev", IngestTokens.ROLE, Map.of()).developmentTokensAllowed()).isTrue();
    }
}
