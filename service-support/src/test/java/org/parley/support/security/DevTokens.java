package org.parley.support.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Mints DEVELOPMENT bearer JWTs (RS256) signed with the development key pair that the dev and test profiles and
 * bin/up trust; production refuses that key. JDK classes only, so that bin/token runs it straight from this
 * source file on a fresh machine (java DevTokens.java ...), and tests call it as a class.
 */
public final class DevTokens {
    /** The issuer the development setups expect (mp.jwt.verify.issuer). */
    public static final String ISSUER = "parley-development";
    /** The development private key: a test resource, never in a service's jar. */
    public static final String PRIVATE_KEY_RESOURCE = "dev-jwt/private.pem";

    private DevTokens() {
    }

    /** A token for this client, valid for a day, with the development key from the test classpath. */
    public static String mint(String client, List<String> roles, List<String> parties) {
        try (InputStream pem = DevTokens.class.getClassLoader().getResourceAsStream(PRIVATE_KEY_RESOURCE)) {
            if (pem == null) {
                throw new IllegalStateException(PRIVATE_KEY_RESOURCE + " is not on the classpath");
            }
            return mint(client, roles, parties, Duration.ofDays(1), privateKey(new String(pem.readAllBytes(), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String mint(String client, List<String> roles, List<String> parties, Duration ttl, PrivateKey key) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":" + quote(ISSUER) + ",\"sub\":" + quote(client) + ",\"upn\":" + quote(client)
                + ",\"groups\":" + array(roles) + ",\"parties\":" + array(parties)
                + ",\"iat\":" + now + ",\"exp\":" + (now + ttl.toSeconds()) + ",\"jti\":" + quote(UUID.randomUUID().toString()) + "}";
        String signed = base64(header.getBytes(StandardCharsets.UTF_8)) + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PrivateKey privateKey(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String array(List<String> values) {
        return values.stream().map(DevTokens::quote).collect(Collectors.joining(",", "[", "]"));
    }

    /** Names, roles and country codes: refused unless plain, so no JSON escaping is needed. */
    private static String quote(String value) {
        if (!value.matches("[A-Za-z0-9*@._:-]{1,200}")) {
            throw new IllegalArgumentException("not a plain name: " + value);
        }
        return "\"" + value + "\"";
    }

    /** bin/token: CLIENT [--roles post,retract] [--parties PRK,USA|*] [--ttl-hours 24] --key PRIVATE.pem */
    public static void main(String[] args) throws IOException {
        String client = null;
        List<String> roles = List.of("post");
        List<String> parties = List.of("*");
        Duration ttl = Duration.ofDays(1);
        Path key = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            switch (arg) {
                case "--roles" -> roles = split(next(rest, arg));
                case "--parties" -> parties = split(next(rest, arg));
                case "--ttl-hours" -> ttl = Duration.ofHours(Long.parseLong(next(rest, arg)));
                case "--key" -> key = Path.of(next(rest, arg));
                default -> {
                    if (arg.startsWith("-") || client != null) {
                        usage("unknown argument " + arg);
                    }
                    client = arg;
                }
            }
        }
        if (client == null || key == null) {
            usage("a client name and --key are needed");
        }
        System.out.println(mint(client, roles, parties, ttl, privateKey(Files.readString(key))));
    }

    private static List<String> split(String list) {
        return List.of(list.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String next(List<String> rest, String option) {
        if (rest.isEmpty()) {
            usage(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static void usage(String problem) {
        System.err.println("token: " + problem + "\nusage: bin/token CLIENT [--roles post,retract,editor,admin] "
                + "[--parties PRK,USA | --parties '*'] [--ttl-hours 24]");
        System.exit(2);
    }
}
