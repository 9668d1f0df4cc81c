package org.parley.support.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a secret a deployment was given is fit for production: not a placeholder (deploy/secrets.example.yaml's
 * "replace-with-...", "change-me", "<...>") and at least {@link #MIN_LENGTH} characters. The services refuse to start
 * with one that is not, naming the setting, unless the setup says it is for development
 * (parley.allow-development-tokens, env PARLEY_ALLOW_DEVELOPMENT_TOKENS=true).
 */
public final class WeakSecrets {
    public static final int MIN_LENGTH = 16;
    private static final List<String> PLACEHOLDERS = List.of("replace-with", "replace_with", "replaceme", "replace-me",
            "changeme", "change-me", "change_me", "placeholder", "example", "your-", "todo", "xxxx");

    private WeakSecrets() {
    }

    /** Why this value of the setting (named as an operator sets it) must not be used, if it must not. */
    public static Optional<String> problem(String setting, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (PLACEHOLDERS.stream().anyMatch(lower::contains) || (lower.startsWith("<") && lower.endsWith(">"))) {
            return Optional.of(setting + " is a placeholder (\"" + value + "\"): set the real secret");
        }
        if (value.length() < MIN_LENGTH) {
            return Optional.of(setting + " is too short (" + value.length() + " characters; at least " + MIN_LENGTH
                    + " are needed): use a long random value");
        }
        return Optional.empty();
    }
}
