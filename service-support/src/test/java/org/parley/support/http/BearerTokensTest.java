package org.parley.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class BearerTokensTest {
    private static final BearerTokens.Role CLIENTS = BearerTokens.Role.everyClient("ingest");
    private static final BearerTokens.Role OPERATORS = BearerTokens.Role.privileged("admin");

    @Test
    void acceptsExactlyTheConfiguredTokens() {
        BearerTokens tokens = new BearerTokens(CLIENTS, Optional.of("alpha-token, beta-token"), false);

        assertThat(tokens.accepts("alpha-token")).isTrue();
        assertThat(tokens.accepts("beta-token")).isTrue();
        assertThat(tokens.accepts("alpha")).isFalse();
        assertThat(tokens.accepts("alpha-token ")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
    }

    @Test
    void aRoleEveryClientNeedsRefusesToStartWithoutATokenAPrivilegedOneStartsWithItsCallsOff() {
        assertThatThrownBy(() -> new BearerTokens(CLIENTS, Optional.of(" , "), true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No ingest token is configured")
                .hasMessageContaining("PARLEY_INGEST_TOKENS (parley.ingest.tokens)");

        BearerTokens none = new BearerTokens(OPERATORS, Optional.empty(), false);
        assertThat(none.configured()).isFalse();
        assertThat(none.accepts("")).isFalse();
        assertThat(none.accepts("dev-admin-token")).isFalse();
    }

    @Test
    void theDevelopmentTokenOfTheRoleNeedsADevelopmentSetup() {
        for (BearerTokens.Role role : new BearerTokens.Role[] { CLIENTS, OPERATORS }) {
            Optional<String> configured = Optional.of("secret-token," + role.developmentToken());
            assertThatThrownBy(() -> new BearerTokens(role, configured, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("development " + role.name() + " token")
                    .hasMessageContaining(role.environment());
            assertThat(new BearerTokens(role, configured, true).accepts(role.developmentToken())).isTrue();
        }
    }
}
