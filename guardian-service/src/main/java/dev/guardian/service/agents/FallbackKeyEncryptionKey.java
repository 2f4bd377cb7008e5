package dev.guardian.service.agents;

import dev.guardian.signer.KeyEncryptionKey;

/**
 * The key-encryption key used when neither {@code guardian.keys.kek} nor {@code guardian.keys.kek-file}
 * is set: implemented by the development mode (a development key in a file, announced loudly). Absent
 * everywhere else, where start-up fails without a configured key.
 */
public interface FallbackKeyEncryptionKey {
    KeyEncryptionKey keyEncryptionKey();
}
