package org.parley.status.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

/** Our signatures are the reference library's: it verifies them, and signs alike. */
class SignaturesTest {
    private static final String BODY = "{\"type\":\"relationship.changed\",\"data\":{\"changeNumber\":7}}";

    @Test
    void aSecretIsWhsecAndThirtyTwoRandomBytes() {
        String secret = Signatures.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(Signatures.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void theReferenceLibraryVerifiesOurSignatureAndSignsTheSame() throws Exception {
        String secret = Signatures.newSecret();
        long now = Instant.now().getEpochSecond();
        String header = Signatures.header("msg_1", now, BODY, List.of(secret));
        new Webhook(secret).verify(BODY, headers("msg_1", now, header));
        assertThat(header).isEqualTo(new Webhook(secret).sign("msg_1", now, BODY));
    }

    @Test
    void duringARotationEitherSecretVerifiesAndATamperedBodyNeither() throws Exception {
        String old = Signatures.newSecret();
        String current = Signatures.newSecret();
        long now = Instant.now().getEpochSecond();
        String header = Signatures.header("msg_2", now, BODY, List.of(current, old));
        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        new Webhook(old).verify(BODY, headers("msg_2", now, header));
        new Webhook(current).verify(BODY, headers("msg_2", now, header));
        assertThatThrownBy(() -> new Webhook(current).verify(BODY.replace('7', '8'), headers("msg_2", now, header)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(Signatures.newSecret()).verify(BODY, headers("msg_2", now, header)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void thePreviousSecretSignsOnlyUntilTheOverlapEnds() {
        Instant until = Instant.parse("2026-03-01T00:00:00Z");
        assertThat(WebhookEndpoint.signingSecrets("new", "old", until, until.minusSeconds(1))).containsExactly("new", "old");
        assertThat(WebhookEndpoint.signingSecrets("new", "old", until, until)).containsExactly("new");
        assertThat(WebhookEndpoint.signingSecrets("new", null, null, until)).containsExactly("new");
    }

    static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }
}
