package org.parley.status.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class AdminTokensTest {

    @Test
    void theProdProfileRefusesToStartWithTheDevelopmentToken() throws IOException {
        // The prod profile of the real application.properties, with the token set as an operator would.
        SmallRyeConfig prod = new SmallRyeConfigBuilder().withProfile("prod")
                .withSources(new PropertiesConfigSource(getClass().getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(Map.of("parley.admin.tokens", "dev-admin-token"), "environment", 300))
                .build();
        boolean allowed = prod.getValue("parley.allow-development-tokens", Boolean.class);
        assertThat(allowed).isFalse();
        assertThatThrownBy(() -> new AdminTokens(prod.getOptionalValue("parley.admin.tokens", String.class), allowed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("development admin token");
    }

    @Test
    void aDevelopmentSetupSaysSoAndSecretTokensNeedNothing() {
        assertThat(new AdminTokens(Optional.of("dev-admin-token"), true).accepts("dev-admin-token")).isTrue();
        AdminTokens secret = new AdminTokens(Optional.of("s3cret-admin"), false);
        assertThat(secret.accepts("s3cret-admin")).isTrue();
        assertThat(secret.accepts("dev-admin-token")).isFalse();
        assertThat(new AdminTokens(Optional.empty(), false).configured()).isFalse();
    }
}
