package dev.guardian.service.agents;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the key-encryption key (KEK) for wallet keys comes from: never the database. Either
 * {@code guardian.keys.kek} (base64, usually from the environment variable {@code GUARDIAN_KEYS_KEK})
 * or {@code guardian.keys.kek-file}. The development mode creates a file if neither is set, and says so.
 */
@ConfigurationProperties("guardian.keys")
record KeyProperties(String kek, Path kekFile) {
    @Override
    public String toString() {
        return "KeyProperties[kek=" + (kek == null ? "unset" : "set (redacted)") + ", kekFile=" + kekFile + "]";
    }
}
