package org.parley.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class IngestTokensTest {

    @Test
    void refusesToStartWithoutAToken() {
        // What the prod profile meets when PARLEY_INGEST_TOKENS is missing or empty.
        for (Optional<String> configured : java.util.List.of(Optional.<String> empty(), Optional.of(" , "))) {
            assertThatThrownBy(() -> new IngestTokens(configured, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No ingest token is configured")
                    .hasMessageContaining("PARLEY_INGEST_TOKENS");
        }
    }

    @Test
    void acceptsExactlyTheConfiguredTokens() {
        IngestTokens tokens = new IngestTokens(Optional.of("alpha-token, beta-token"), false);

        assertThat(tokens.accepts("alpha-token")).isTrue();
        assertThat(tokens.accepts("beta-token")).isTrue();
        assertThat(tokens.accepts("alpha")).isFalse();
        assertThat(tokens.accepts("alpha-token ")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
    }

    @Test
    void theProdProfileRefusesToStartWithTheDevelopmentToken() throws IOException {
        // The prod profile of the real application.properties, with the token set as an operator would.
        SmallRyeConfig prod = new SmallRyeConfigBuilder().withProfile("prod")
                .withSources(new PropertiesConfigSource(getClass().getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(Map.of("parley.ingest.tokens", "secret-token, dev-ingest-token"),
                        "environment", 300))
                .build();
        boolean allowed = prod.getValue("parley.allow-development-tokens", Boolean.class);
        assertThat(allowed).isFalse();
        assertThatThrownBy(() -> new IngestTokens(prod.getOptionalValue("parley.ingest.tokens", String.class), allowed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("development ingest token");
        // A development setup says so explicitly; the dev and test profiles do.
        assertThat(new IngestTokens(Optional.of("dev-ingest-token"), true).accepts("dev-ingest-token")).isTrue();
        SmallRyeConfig dev = new SmallRyeConfigBuilder().withProfile("dev")
                .withSources(new PropertiesConfigSource(getClass().getResource("/application.properties"), 250)).build();
        assertThat(dev.getValue("parley.allow-development-tokens", Boolean.class)).isTrue();
    }
}
