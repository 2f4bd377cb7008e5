package dev.guardian.service.agents;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the key-encryption key (KEK) for wallet keys comes from: never the database. Either
 * {@code guardian.keys.kek} (base64, usually from the environment variable {@code GUARDIAN_KEYS_KEK})
 * or {@code guardian.keys.kek-file}. The development mode creates a file if neither is set, and says so.
 *
 * <p>While the KEK is being rotated, {@code guardian.keys.previous-kek} or
 * {@code guardian.keys.previous-kek-file} names the one the stored keys were sealed with: the first start
 * re-seals them under the current one ({@link KeyRotation}), after which the previous one is removed from
 * the configuration and destroyed (docs/keys.md).
 */
@ConfigurationProperties("guardian.keys")
record KeyProperties(String kek, Path kekFile, String previousKek, Path previousKekFile) {
    @Override
    public String toString() {
        return "KeyProperties[kek=" + redacted(kek) + ", kekFile=" + kekFile + ", previousKek=" + redacted(previousKek)
                + ", previousKekFile=" + previousKekFile + "]";
    }

    private static String redacted(String base64) {
        return base64 == null ? "unset" : "set (redacted)";
    }
}
