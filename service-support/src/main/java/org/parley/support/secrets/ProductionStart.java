package org.parley.support.secrets;

import java.util.Optional;
import java.util.function.Function;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;

/** A start in production (not dev or test mode) that a check refuses fails, naming the reason. */
public final class ProductionStart {
    private ProductionStart() {
    }

    public static void refuseIf(Function<Config, Optional<String>> refusal) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        refusal.apply(ConfigProvider.getConfig()).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }
}
