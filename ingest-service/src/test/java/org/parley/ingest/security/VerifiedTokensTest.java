package org.parley.ingest.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parley.ingest.ParleyConfigs;
import org.parley.support.security.DevTokens;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The memory of verified tokens changes no answer: a token is refused once it expires although it verified
 * before, and a token that does not verify is refused every time (clock skew 0, so "expired" is the exp claim).
 */
class VerifiedTokensTest {

    private final VerifiedTokens tokens = new VerifiedTokens(context(), ParleyConfigs.of(Map.of()));

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() throws Exception {
        String token = mint(Duration.ofSeconds(2));

        assertThat(tokens.parse(token).getName()).isEqualTo("short-lived");
        assertThat(tokens.parse(token).getName()).isEqualTo("short-lived"); // verified before: from memory

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> refused(token));
        assertThatThrownBy(() -> tokens.parse(token)).isInstanceOf(ParseException.class);
    }

    @Test
    void aTokenThatDoesNotVerifyIsRefusedEveryTime() throws Exception {
        String token = mint(Duration.ofMinutes(5));
        tokens.parse(token);
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> tokens.parse(forged)).isInstanceOf(ParseException.class);
        }
    }

    private boolean refused(String token) {
        try {
            tokens.parse(token);
            return false;
        } catch (ParseException e) {
            return true;
        }
    }

    private static String mint(Duration ttl) throws IOException {
        return DevTokens.mint("short-lived", List.of("post"), List.of("*"), ttl, DevTokens.privateKey(resource(DevTokens.PRIVATE_KEY_RESOURCE)));
    }

    private static JWTAuthContextInfo context() {
        try {
            String pem = resource("dev-jwt/public.pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
            JWTAuthContextInfo context = new JWTAuthContextInfo(key, DevTokens.ISSUER);
            context.setClockSkew(0);
            context.setExpGracePeriodSecs(0);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = VerifiedTokensTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
