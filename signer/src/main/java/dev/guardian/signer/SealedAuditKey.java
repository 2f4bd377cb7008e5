package dev.guardian.signer;

import dev.guardian.policy.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * An Ed25519 audit key as stored: its 32-byte public key and the AES-256-GCM ciphertext of its private
 * key, laid out like a wallet key ({@code version || nonce || ciphertext and tag}) and bound to the
 * public key, so pairing it with another public key makes it fail to unseal.
 *
 * <p>The bytes are copied in and out, and {@link #toString()} prints the public key and the length only.
 */
public record SealedAuditKey(byte[] publicKey, byte[] sealed) {

    public SealedAuditKey {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(sealed, "sealed");
        if (publicKey.length != Ed25519Keys.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes; got " + publicKey.length);
        }
        if (sealed.length < KeySealing.MINIMUM_SEALED_LENGTH) {
            throw new IllegalArgumentException("a sealed key is at least " + KeySealing.MINIMUM_SEALED_LENGTH
                    + " bytes (version, nonce, tag); got " + sealed.length);
        }
        publicKey = publicKey.clone();
        sealed = sealed.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    String describe() {
        return "with public key " + Hex.encode(publicKey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedAuditKey that
                && Arrays.equals(publicKey, that.publicKey)
                && Arrays.equals(sealed, that.sealed);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(publicKey) + Arrays.hashCode(sealed);
    }

    @Override
    public String toString() {
        return "SealedAuditKey[publicKey=" + Hex.encode(publicKey) + ", sealed=" + sealed.length + " bytes]";
    }
}
