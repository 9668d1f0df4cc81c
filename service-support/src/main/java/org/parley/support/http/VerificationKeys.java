package org.parley.support.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Whether the key that verifies bearer JWTs (mp.jwt.verify.*) lets tokens be forged: none at all, the
 * development key (its private half is in this repository), an RSA key under 2,048 bits, or no issuer to
 * check. Both services refuse to start with one unless the setup says it is for development
 * (parley.allow-development-tokens).
 */
public final class VerificationKeys {
    public static final String DEVELOPMENT_KEY = "dev-jwt/public.pem";
    static final int MIN_RSA_BITS = 2048;

    private VerificationKeys() {
    }

    /** Why a deployment must not start with these settings, if it must not. */
    public static Optional<String> refusal(Optional<String> location, Optional<String> inlineKey, Optional<String> issuer,
            boolean developmentAllowed) {
        if (location.isEmpty() && inlineKey.isEmpty()) {
            return Optional.of("No key to verify bearer tokens: set MP_JWT_VERIFY_PUBLICKEY_LOCATION to a PEM or JWK "
                    + "file, or to the identity provider's JWKS URL");
        }
        if (developmentAllowed) {
            return Optional.empty();
        }
        if (issuer.filter(value -> !value.isBlank()).isEmpty()) {
            return Optional.of("No issuer to check bearer tokens against: set MP_JWT_VERIFY_ISSUER");
        }
        Optional<String> pem = inlineKey.or(() -> location.flatMap(VerificationKeys::localContent));
        if (location.filter(value -> value.endsWith(DEVELOPMENT_KEY)).isPresent()
                || pem.map(VerificationKeys::body).equals(resource(DEVELOPMENT_KEY).map(VerificationKeys::body))) {
            return Optional.of("The development key verifies bearer tokens, and its private half is public: set "
                    + "MP_JWT_VERIFY_PUBLICKEY_LOCATION to your own key or JWKS URL (or PARLEY_ALLOW_DEVELOPMENT_TOKENS=true "
                    + "on a development machine)");
        }
        Optional<Integer> bits = pem.flatMap(VerificationKeys::rsaBits);
        if (bits.isPresent() && bits.get() < MIN_RSA_BITS) {
            return Optional.of("The key that verifies bearer tokens is RSA of " + bits.get() + " bits; at least "
                    + MIN_RSA_BITS + " are needed");
        }
        return Optional.empty();
    }

    /** The key's text where it is local (a file or a classpath resource); a JWKS URL is the provider's to keep. */
    private static Optional<String> localContent(String location) {
        if (location.startsWith("http:") || location.startsWith("https:")) {
            return Optional.empty();
        }
        String path = location.replaceFirst("^(file:|classpath:)", "");
        try {
            Path file = Path.of(path);
            if (Files.isRegularFile(file)) {
                return Optional.of(Files.readString(file));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return resource(path);
    }

    private static Optional<String> resource(String path) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static Optional<Integer> rsaBits(String pem) {
        try {
            byte[] der = Base64.getDecoder().decode(body(pem));
            return Optional.of(((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)))
                    .getModulus().bitLength());
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty(); // a JWK or another algorithm: the verifier judges it
        }
    }
}
