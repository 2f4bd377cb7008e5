package dev.guardian.signer;

import java.util.Arrays;
import java.util.Objects;

/**
 * Signs audit checkpoints with one sealed Ed25519 audit key. As with wallet keys, the private key is
 * unsealed for each signature and zeroed straight after; between signatures this object holds only the
 * ciphertext and the public key. Thread-safe.
 */
public final class AuditSigner {
    private final KeyVault vault;
    private final SealedAuditKey key;

    AuditSigner(KeyVault vault, SealedAuditKey key) {
        this.vault = vault;
        this.key = key;
    }

    /** The 32-byte Ed25519 public key that verifies this signer's signatures. */
    public byte[] publicKey() {
        return key.publicKey();
    }

    /**
     * The 64-byte Ed25519 signature of {@code message} (deterministic, as RFC 8032 defines it).
     *
     * @throws KeyUnsealException if the sealed key cannot be opened or does not belong to its public key
     */
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        byte[] privateKey = vault.unseal(key);
        try {
            if (!Ed25519Keys.controls(privateKey, key.publicKey())) {
                throw new KeyUnsealException(
                        "the sealed audit key " + key.describe() + " does not belong to that public key");
            }
            return Ed25519Keys.sign(privateKey, message);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "AuditSigner[" + key.describe() + "]";
    }
}
