package dev.guardian.signer;

import dev.guardian.policy.Address;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Creates and imports wallet keys, creates the audit key, and hands out signers for them. Every key
 * leaves the vault sealed (AES-256-GCM under the key-encryption key, bound to its address or public
 * key); a {@link TransactionSigner} or {@link AuditSigner} opens its key again only for the length of
 * one signature.
 */
public final class KeyVault {
    private final KeyEncryptionKey kek;
    private final SecureRandom random = new SecureRandom();

    public KeyVault(KeyEncryptionKey kek) {
        this.kek = Objects.requireNonNull(kek, "kek");
    }

    /** A new secp256k1 key from {@link SecureRandom}, sealed. */
    public SealedKey generate() {
        byte[] privateKey = new byte[Secp256k1.PRIVATE_KEY_LENGTH];
        try {
            do {
                random.nextBytes(privateKey);
            } while (!Secp256k1.isValidPrivateKey(privateKey));
            return seal(privateKey);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    /**
     * Seals an existing private key. The caller's array is zeroed whether or not the key is accepted,
     * so that no copy outlives this call on the caller's side either.
     *
     * @throws IllegalArgumentException unless the key is 32 bytes with 0 &lt; k &lt; n (the secp256k1 order)
     */
    public SealedKey importKey(byte[] privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        try {
            if (privateKey.length != Secp256k1.PRIVATE_KEY_LENGTH) {
                throw new IllegalArgumentException("a private key is 32 bytes; got " + privateKey.length);
            }
            if (!Secp256k1.isValidPrivateKey(privateKey)) {
                throw new IllegalArgumentException(
                        "a private key must be a number from 1 to the secp256k1 group order minus 1");
            }
            return seal(privateKey);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    /**
     * A signer for a sealed key. Nothing is unsealed here: each signature unseals the key afresh, so a
     * wrong key-encryption key or a damaged row shows up as a {@link KeyUnsealException} when signing.
     */
    public TransactionSigner signerFor(SealedKey key) {
        return new TransactionSigner(this, Objects.requireNonNull(key, "key"));
    }

    /**
     * A new Ed25519 audit key from {@link SecureRandom}, sealed under the same key-encryption key as the
     * wallet keys (but bound to its public key and labelled as an audit key, so neither kind of
     * ciphertext opens as the other).
     */
    public SealedAuditKey generateAuditKey() {
        byte[] privateKey = new byte[Ed25519Keys.PRIVATE_KEY_LENGTH];
        try {
            random.nextBytes(privateKey); // every 32-byte string is a valid Ed25519 private key
            byte[] publicKey = Ed25519Keys.publicKeyOf(privateKey);
            return new SealedAuditKey(publicKey, KeySealing.sealAuditKey(kek, publicKey, privateKey, random));
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    /** A signer for a sealed audit key; like {@link #signerFor}, nothing is unsealed until it signs. */
    public AuditSigner auditSignerFor(SealedAuditKey key) {
        return new AuditSigner(this, Objects.requireNonNull(key, "key"));
    }

    /** Opens a sealed key; the caller must zero the returned bytes. */
    byte[] unseal(SealedKey key) {
        return KeySealing.unseal(kek, key);
    }

    /** Opens a sealed audit key; the caller must zero the returned bytes. */
    byte[] unseal(SealedAuditKey key) {
        return KeySealing.unsealAuditKey(kek, key);
    }

    private SealedKey seal(byte[] privateKey) {
        Address address = Secp256k1.addressOf(privateKey);
        return new SealedKey(address, KeySealing.seal(kek, address, privateKey, random));
    }

    @Override
    public String toString() {
        return "KeyVault[kek=redacted]";
    }
}
