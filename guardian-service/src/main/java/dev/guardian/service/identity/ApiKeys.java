package dev.guardian.service.identity;

import dev.guardian.policy.Sha256;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys: 32 random bytes, base64url, prefixed {@code grd_} so a leaked key is easy to recognise in
 * a scanner. Only the SHA-256 is stored: the keys carry 256 bits of entropy, so a slow password hash
 * would add cost without adding safety.
 */
public final class ApiKeys {
    public static final String PREFIX = "grd_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] sha256(String apiKey) {
        return Sha256.hash(apiKey);
    }
}
