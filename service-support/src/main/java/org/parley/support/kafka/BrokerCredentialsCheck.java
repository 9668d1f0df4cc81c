package org.parley.support.kafka;

import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.parley.support.secrets.ProductionStart;
import org.parley.support.secrets.WeakSecrets;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a deployment that would talk to the broker without authenticating, or with a weak password:
 * the broker's ACLs are what stop anyone else from writing the statements topic, and they name principals
 * (docs/security.md, "The broker"). A development broker without SASL is allowed when the setup says so
 * (parley.kafka.allow-anonymous, env PARLEY_KAFKA_ALLOW_ANONYMOUS=true). Dev and test modes are not checked
 * (Dev Services' broker has no SASL).
 */
@ApplicationScoped
public class BrokerCredentialsCheck {
    private static final Logger LOG = Logger.getLogger(BrokerCredentialsCheck.class);

    void onStart(@Observes StartupEvent start) {
        ProductionStart.refuseIf(BrokerCredentialsCheck::refusal);
    }

    /** Why a production start must not go on with these settings, if it must not. */
    public static Optional<String> refusal(Config config) {
        boolean anonymousAllowed = config.getOptionalValue("parley.kafka.allow-anonymous", Boolean.class).orElse(false);
        boolean development = config.getOptionalValue("parley.allow-development-tokens", Boolean.class).orElse(false);
        Optional<String> username = config.getOptionalValue(BrokerCredentials.USERNAME, String.class);
        String protocol = config.getOptionalValue("kafka.security.protocol", String.class).orElse("PLAINTEXT")
                .toUpperCase(Locale.ROOT);
        if (username.isEmpty()) {
            if (!protocol.equals("PLAINTEXT")) {
                return Optional.empty(); // kafka.* configured by hand (mutual TLS, OAUTHBEARER, ...)
            }
            if (anonymousAllowed) {
                LOG.warn("The broker is used without authentication (PARLEY_KAFKA_ALLOW_ANONYMOUS=true): not for real use");
                return Optional.empty();
            }
            return Optional.of("No broker credentials: set PARLEY_KAFKA_USERNAME and PARLEY_KAFKA_PASSWORD (this service's "
                    + "SASL principal; see docs/operations.md, \"Broker credentials\"), or PARLEY_KAFKA_ALLOW_ANONYMOUS=true "
                    + "for a development broker without authentication");
        }
        Optional<String> password = config.getOptionalValue(BrokerCredentials.PASSWORD, String.class);
        if (password.isEmpty()) {
            return Optional.of("PARLEY_KAFKA_USERNAME is set but PARLEY_KAFKA_PASSWORD is not");
        }
        return development ? Optional.empty() : WeakSecrets.problem("PARLEY_KAFKA_PASSWORD", password.get());
    }
}
