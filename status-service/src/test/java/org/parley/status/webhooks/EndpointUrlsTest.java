package org.parley.status.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = { "https://127.0.0.1/hook", "https://10.1.2.3/", "https://172.16.0.1/", "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data", "https://[::1]/", "https://[fd00::1]/", "https://[fe80::1]/",
            "https://100.64.0.1/", "https://0.0.0.0/", "https://[::ffff:127.0.0.1]/", "https://localhost/" })
    void privateAddressesAreRefusedUnlessAllowed(String url) throws Exception {
        assertThatThrownBy(() -> EndpointUrls.check(url, false, false)).isInstanceOf(EndpointUrls.Refused.class)
                .hasMessageContaining("address");
        assertThat(EndpointUrls.check(url, false, true)).isNotNull();
    }

    @Test
    void productionWantsHttpsToAPublicAddress() throws Exception {
        assertThat(EndpointUrls.check("https://93.184.215.14/hooks/parley", false, false).getHost()).isEqualTo("93.184.215.14");
        assertThatThrownBy(() -> EndpointUrls.check("http://93.184.215.14/", false, false)).hasMessageContaining("https");
        assertThat(EndpointUrls.check("http://93.184.215.14/", true, false)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "ftp://93.184.215.14/", "https:///nohost", "https://user:pw@93.184.215.14/",
            "not a url", "https://93.184.215.14/#frag", "//93.184.215.14/" })
    void malformedOrForeignUrlsAreRefused(String url) {
        assertThatThrownBy(() -> EndpointUrls.check(url, true, true)).isInstanceOf(EndpointUrls.Refused.class);
    }

    @Test
    void overlongUrlsAreRefused() {
        assertThatThrownBy(() -> EndpointUrls.check("https://a.example/" + "x".repeat(EndpointUrls.MAX_LENGTH), true, true))
                .hasMessageContaining("longer");
    }
}
