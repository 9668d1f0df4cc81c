package org.parley.support.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * For the services' tests: a role's token settings as the service's own application.properties (the one on the
 * test's class path) resolves them in one profile, with what an operator set in the environment on top.
 */
public record TokenSettings(Optional<String> tokens, boolean developmentTokensAllowed) {

    public static TokenSettings in(String profile, BearerTokens.Role role, Map<String, String> environment) {
        URL properties = TokenSettings.class.getResource("/application.properties");
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder().withProfile(profile)
                    .withSources(new PropertiesConfigSource(properties, 250))
                    .withSources(new PropertiesConfigSource(environment, "environment", 300))
                    .build();
            return new TokenSettings(config.getOptionalValue(role.property(), String.class),
                    config.getValue("parley.allow-development-tokens", Boolean.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BearerTokens build(BearerTokens.Role role) {
        return new BearerTokens(role, tokens, developmentTokensAllowed);
    }
}
