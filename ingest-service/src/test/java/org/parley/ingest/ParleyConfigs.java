package org.parley.ingest;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** ingest's settings outside Quarkus, for tests of one class: application.properties' values, some overridden. */
public final class ParleyConfigs {
    private ParleyConfigs() {
    }

    public static ParleyConfig of(Map<String, String> overrides) {
        return config(overrides).getConfigMapping(ParleyConfig.class);
    }

    static SmallRyeConfig config(Map<String, String> overrides) {
        try {
            return new SmallRyeConfigBuilder()
                    .withMapping(ParleyConfig.class)
                    .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus' "5s", "1ms"
                    .withSources(new PropertiesConfigSource(ParleyConfigs.class.getResource("/application.properties"), 100))
                    .withSources(new PropertiesConfigSource(new HashMap<>(overrides), "overrides", 200))
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
