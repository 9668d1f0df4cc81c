package org.parley.status.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.parley.support.http.BearerTokens;
import org.parley.support.http.TokenSettings;

class AdminTokensTest {

    @Test
    void theProdProfileRefusesToStartWithTheDevelopmentToken() {
        // The prod profile of the real application.properties, with the token set as an operator would.
        TokenSettings prod = TokenSettings.in("prod", AdminTokens.ROLE, Map.of("parley.admin.tokens", "dev-admin-token"));
        assertThat(prod.developmentTokensAllowed()).isFalse();
        assertThatThrownBy(() -> prod.build(AdminTokens.ROLE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("development admin token");
    }

    @Test
    void aDevelopmentSetupSaysSoAndSecretTokensNeedNothing() {
        assertThat(AdminTokens.of(Optional.of("dev-admin-token"), true).accepts("dev-admin-token")).isTrue();
        BearerTokens secret = AdminTokens.of(Optional.of("s3cret-admin"), false);
        assertThat(secret.accepts("s3cret-admin")).isTrue();
        assertThat(secret.accepts("dev-admin-token")).isFalse();
        assertThat(AdminTokens.of(Optional.empty(), false).configured()).isFalse();
    }
}
