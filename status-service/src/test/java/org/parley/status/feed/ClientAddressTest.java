package org.parley.status.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Whom a request counts against: X-Forwarded-For only through a trusted proxy. */
class ClientAddressTest {
    private static final Set<String> PROXIES = Set.of("10.0.0.1", "10.0.0.2");

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(ClientAddress.of("198.51.100.7", List.of("203.0.113.1"), PROXIES)).isEqualTo("198.51.100.7");
        assertThat(ClientAddress.of("198.51.100.7", List.of("203.0.113.1"), Set.of())).isEqualTo("198.51.100.7");
        assertThat(ClientAddress.of("10.0.0.1", null, PROXIES)).isEqualTo("10.0.0.1");
    }

    @Test
    void throughTrustedProxiesTheNearestUntrustedHopIsTheClient() {
        assertThat(ClientAddress.of("10.0.0.1", List.of("203.0.113.1"), PROXIES)).isEqualTo("203.0.113.1");
        // a client may write any X-Forwarded-For: only what the trusted proxies appended counts
        assertThat(ClientAddress.of("10.0.0.1", List.of("1.2.3.4, 203.0.113.1, 10.0.0.2"), PROXIES))
                .isEqualTo("203.0.113.1");
        assertThat(ClientAddress.of("10.0.0.1", List.of("1.2.3.4", "203.0.113.9"), PROXIES)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of("10.0.0.1", List.of("10.0.0.2"), PROXIES)).isEqualTo("10.0.0.2");
        assertThat(ClientAddress.of("10.0.0.1", List.of(" , "), PROXIES)).isEqualTo("10.0.0.1");
        assertThat(ClientAddress.of("10.0.0.1", List.of("x".repeat(65)), PROXIES)).isEqualTo("10.0.0.1");
    }
}
