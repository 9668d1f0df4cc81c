package org.parley.status;

import org.eclipse.microprofile.config.ConfigProvider;

/** The management interface of the service under test (health, metrics), on its own random port. */
public final class Management {
    private Management() {
    }

    /** e.g. url("/health/ready"): test.management.url resolves to the port actually bound, with its /q root. */
    public static String url(String path) {
        return ConfigProvider.getConfig().getValue("test.management.url", String.class) + path;
    }
}
