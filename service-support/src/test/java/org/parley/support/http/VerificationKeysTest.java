package org.parley.support.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;

import org.junit.jupiter.api.Test;

/** Both services refuse, in production, a verification key with which bearer tokens could be forged. */
class VerificationKeysTest {

    @Test
    void productionRefusesKeysThatCouldBeForged() throws Exception {
        var none = VerificationKeys.refusal(java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.of("https://idp.example/"), false);
        assertThat(none).get().asString().contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        var development = VerificationKeys.refusal(java.util.Optional.of("dev-jwt/public.pem"), java.util.Optional.empty(),
                java.util.Optional.of("parley-development"), false);
        assertThat(development).get().asString().contains("development key");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        String weak = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                rsa.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        assertThat(VerificationKeys.refusal(java.util.Optional.empty(), java.util.Optional.of(weak),
                java.util.Optional.of("https://idp.example/"), false)).get().asString().contains("1024 bits");
        assertThat(VerificationKeys.refusal(java.util.Optional.of("https://idp.example/jwks.json"), java.util.Optional.empty(),
                java.util.Optional.empty(), false)).get().asString().contains("MP_JWT_VERIFY_ISSUER");
        assertThat(VerificationKeys.refusal(java.util.Optional.of("https://idp.example/jwks.json"), java.util.Optional.empty(),
                java.util.Optional.of("https://idp.example/"), false)).isEmpty();
        // A development setup says so, and then the development key is fine.
        assertThat(VerificationKeys.refusal(java.util.Optional.of("dev-jwt/public.pem"), java.util.Optional.empty(),
                java.util.Optional.of("parley-development"), true)).isEmpty();
    }
}
