package org.parley.status.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Production refuses admin tokens that are placeholders or short; development setups say they are. */
class AdminTokenHygieneTest {

    @Test
    void thePlaceholderOfTheExampleSecretIsRefused() {
        assertThat(AdminTokens.weakness(Optional.of("replace-with-a-long-random-admin-token"), false))
                .contains("A token of PARLEY_ADMIN_TOKENS is a placeholder (\"replace-with-a-long-random-admin-token\"): set the real secret");
    }

    @Test
    void aShortTokenIsRefusedEvenBesideAGoodOne() {
        assertThat(AdminTokens.weakness(Optional.of("Zq3v9LmX2pR7tW4yN8bK, s3cret"), false))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("A token of PARLEY_ADMIN_TOKENS is too short (6 characters"));
    }

    @Test
    void longRandomTokensAndDevelopmentSetupsPass() {
        assertThat(AdminTokens.weakness(Optional.of("Zq3v9LmX2pR7tW4yN8bK,Hx7Lq2Vw9Rt4Yp8Nz3Ck"), false)).isEmpty();
        assertThat(AdminTokens.weakness(Optional.of("s3cret"), true)).isEmpty();
        assertThat(AdminTokens.weakness(Optional.empty(), false)).isEmpty();
    }
}
