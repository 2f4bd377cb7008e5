package dev.guardian.service.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "a-shared-secret-of-at-least-32-characters";
    private static final String BODY = "{\"event\":\"request.escalated\"}";

    @Test
    void matchesAnHmacComputedIndependently() throws Exception {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), RFC 4231-style well-known value.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("key".getBytes(), "HmacSHA256"));
        assertThat(HexFormat.of().formatHex(mac.doFinal("The quick brown fox jumps over the lazy dog".getBytes())))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");

        assertThat(WebhookSignature.sign("key", 1700000000L, "body"))
                .isEqualTo("v1=" + HexFormat.of().formatHex(mac.doFinal("1700000000.body".getBytes())));
    }

    @Test
    void verifiesAGenuineDelivery() {
        String signature = WebhookSignature.sign(SECRET, 1_800_000_000L, BODY);

        assertThat(WebhookSignature.verify(SECRET, "1800000000", signature, BODY, 1_800_000_010L, 300))
                .isTrue();
    }

    @Test
    void refusesATamperedBodyAWrongSecretAndAReplayedTimestamp() {
        String signature = WebhookSignature.sign(SECRET, 1_800_000_000L, BODY);

        assertThat(WebhookSignature.verify(
                        SECRET, "1800000000", signature, BODY.replace("escalated", "confirmed"), 1_800_000_000L, 300))
                .isFalse();
        assertThat(WebhookSignature.verify(
                        "another-secret-of-at-least-32-characters", "1800000000", signature, BODY, 1_800_000_000L, 300))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, "1800000000", signature, BODY, 1_800_000_000L + 301, 300))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, "1800000001", signature, BODY, 1_800_000_000L, 300))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, null, signature, BODY, 1_800_000_000L, 300))
                .isFalse();
    }
}
