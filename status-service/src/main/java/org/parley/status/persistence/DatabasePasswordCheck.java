package org.parley.status.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.parley.support.secrets.ProductionStart;
import org.parley.support.secrets.WeakSecrets;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses a production start whose database password is missing, a placeholder or short (the development
 * setups' "parley" included): the projection, the statements and who posted them sit behind it. A database
 * reached without a password (client certificates, IAM) says so with parley.database.passwordless
 * (env PARLEY_DATABASE_PASSWORDLESS=true); development setups with parley.allow-development-tokens. Dev and
 * test modes are not checked.
 */
@ApplicationScoped
public class DatabasePasswordCheck {
    static final String PASSWORD = "quarkus.datasource.password";

    void onStart(@Observes StartupEvent start) {
        ProductionStart.refuseIf(DatabasePasswordCheck::refusal);
    }

    /** Why a production start must not go on with these settings, if it must not. */
    public static Optional<String> refusal(Config config) {
        if (config.getOptionalValue("parley.allow-development-tokens", Boolean.class).orElse(false)) {
            return Optional.empty();
        }
        Optional<String> password = config.getOptionalValue(PASSWORD, String.class).filter(p -> !p.isEmpty());
        if (password.isEmpty()) {
            return config.getOptionalValue("parley.database.passwordless", Boolean.class).orElse(false)
                    ? Optional.empty()
                    : Optional.of("No database password: set QUARKUS_DATASOURCE_PASSWORD (see docs/operations.md, "
                            + "\"Secrets\"), or PARLEY_DATABASE_PASSWORDLESS=true where the database authenticates "
                            + "this service otherwise (client certificates, IAM)");
        }
        return WeakSecrets.problem("QUARKUS_DATASOURCE_PASSWORD", password.get());
    }
}
