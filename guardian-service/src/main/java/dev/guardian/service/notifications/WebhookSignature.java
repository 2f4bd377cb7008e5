package dev.guardian.service.notifications;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: {@code v1=} followed by the hex HMAC-SHA256, keyed with the endpoint's
 * secret, of {@code <timestamp>.<body>}, where the timestamp is the {@code Guardian-Timestamp} header
 * (Unix seconds). Signing the timestamp with the body lets receivers refuse replays of old deliveries.
 */
final class WebhookSignature {
    public static final String TIMESTAMP_HEADER = "Guardian-Timestamp";
    public static final String SIGNATURE_HEADER = "Guardian-Signature";
    public static final String DELIVERY_HEADER = "Guardian-Delivery";

    private WebhookSignature() {}

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v1="
                    + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * What a receiver does: recompute, compare in constant time, and refuse a timestamp further than
     * {@code toleranceSeconds} from its own clock.
     */
    public static boolean verify(
            String secret,
            String timestampHeader,
            String signatureHeader,
            String body,
            long nowSeconds,
            long toleranceSeconds) {
        if (timestampHeader == null || signatureHeader == null) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
            return false;
        }
        byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.getBytes(StandardCharsets.US_ASCII));
    }
}
