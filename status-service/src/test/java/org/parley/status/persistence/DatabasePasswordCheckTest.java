package org.parley.status.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

class DatabasePasswordCheckTest {

    @Test
    void productionRefusesNoPasswordUnlessTheDatabaseNeedsNone() {
        assertThat(DatabasePasswordCheck.refusal(config(Map.of())))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("No database password: set QUARKUS_DATASOURCE_PASSWORD"));
        assertThat(DatabasePasswordCheck.refusal(config(Map.of("quarkus.datasource.password", ""))))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("No database password"));
        assertThat(DatabasePasswordCheck.refusal(config(Map.of("parley.database.passwordless", "true")))).isEmpty();
    }

    @Test
    void productionRefusesTheDevelopmentPasswordAPlaceholderOrAShortOne() {
        assertThat(DatabasePasswordCheck.refusal(config(Map.of("quarkus.datasource.password", "parley"))))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("QUARKUS_DATASOURCE_PASSWORD is too short (6 characters"));
        assertThat(DatabasePasswordCheck.refusal(config(Map.of("quarkus.datasource.password",
                "replace-with-the-database-password"))))
                .hasValueSatisfying(reason -> assertThat(reason).isEqualTo(
                        "QUARKUS_DATASOURCE_PASSWORD is a placeholder (\"replace-with-the-database-password\"): set the real secret"));
        assertThat(DatabasePasswordCheck.refusal(config(Map.of("quarkus.datasource.password", "Zq3v9LmX2pR7tW4yN8bK"))))
                .isEmpty();
    }

    @Test
    void aDevelopmentSetupSaysSo() {
        assertThat(DatabasePasswordCheck.refusal(config(Map.of("quarkus.datasource.password", "parley",
                "parley.allow-development-tokens", "true")))).isEmpty();
        assertThat(DatabasePasswordCheck.refusal(config(Map.of("parley.allow-development-tokens", "true")))).isEmpty();
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 250)).build();
    }
}
