package dev.guardian.signer;

import dev.guardian.policy.Address;
import java.util.Arrays;
import java.util.Objects;

/**
 * A wallet key as stored: the address it controls and the AES-256-GCM ciphertext of its private key,
 * laid out as {@code version (1 byte) || nonce (12 bytes) || ciphertext and tag}. The ciphertext is
 * bound to the address, so pairing it with another address makes it fail to unseal.
 *
 * <p>The bytes are copied in and out, and {@link #toString()} prints the address and the length only.
 */
public record SealedKey(Address address, byte[] sealed) {

    public SealedKey {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length < KeySealing.MINIMUM_SEALED_LENGTH) {
            throw new IllegalArgumentException("a sealed key is at least " + KeySealing.MINIMUM_SEALED_LENGTH
                    + " bytes (version, nonce, tag); got " + sealed.length);
        }
        sealed = sealed.clone();
    }

    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedKey that && address.equals(that.address) && Arrays.equals(sealed, that.sealed);
    }

    @Override
    public int hashCode() {
        return 31 * address.hashCode() + Arrays.hashCode(sealed);
    }

    @Override
    public String toString() {
        return "SealedKey[address=" + address + ", sealed=" + sealed.length + " bytes]";
    }
}
