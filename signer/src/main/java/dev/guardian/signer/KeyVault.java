package dev.guardian.signer;

import dev.guardian.policy.Address;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Creates and imports wallet keys, creates the audit key, and hands out signers for them. Every key
 * leaves the vault sealed (AES-256-GCM under the key-encryption key, bound to its address or public
 * key); a {@link TransactionSigner} or {@link AuditSigner} opens its key again only for the length of
 * one signature. Rotating the key-encryption key re-seals each key here ({@link #reseal(SealedKey,
 * KeyEncryptionKey)}), so its bytes never leave this module on the way from the old KEK to the new one.
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

    /**
     * Whether this vault's key-encryption key opens {@code key} and the key inside controls its address:
     * what a rotation asks of each stored key before deciding to leave it as it is.
     *
     * @throws IllegalStateException if this vault's key-encryption key has been closed
     */
    public boolean opens(SealedKey key) {
        Objects.requireNonNull(key, "key");
        try {
            byte[] privateKey = KeySealing.unseal(kek, key);
            try {
                return Secp256k1.addressOf(privateKey).equals(key.address());
            } finally {
                Arrays.fill(privateKey, (byte) 0);
            }
        } catch (KeyUnsealException e) {
            return false;
        }
    }

    /** Whether this vault's key-encryption key opens the audit key and it belongs to its public key. */
    public boolean opens(SealedAuditKey key) {
        Objects.requireNonNull(key, "key");
        try {
            byte[] privateKey = KeySealing.unsealAuditKey(kek, key);
            try {
                return Ed25519Keys.controls(privateKey, key.publicKey());
            } finally {
                Arrays.fill(privateKey, (byte) 0);
            }
        } catch (KeyUnsealException e) {
            return false;
        }
    }

    /**
     * The same wallet key, sealed afresh under this vault's key-encryption key: for rotating the KEK.
     * {@code previous} opens the stored ciphertext; the private key exists only inside this call and is
     * zeroed before it returns. The address stays the one the key controls, so nothing outside the vault
     * changes but the ciphertext.
     *
     * @throws KeyUnsealException if {@code previous} does not open the key, or the key inside does not
     *                            control the address it is stored for (nothing is re-sealed then)
     */
    public SealedKey reseal(SealedKey key, KeyEncryptionKey previous) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(previous, "previous");
        byte[] privateKey = KeySealing.unseal(previous, key);
        try {
            if (!Secp256k1.addressOf(privateKey).equals(key.address())) {
                throw new KeyUnsealException(
                        "the sealed key stored for " + key.address() + " does not control that address");
            }
            return new SealedKey(key.address(), KeySealing.seal(kek, key.address(), privateKey, random));
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    /**
     * The same audit key, sealed afresh under this vault's key-encryption key; as for wallet keys, the
     * public key (and so every checkpoint it signed) stays the same.
     *
     * @throws KeyUnsealException if {@code previous} does not open the key, or it does not belong to its
     *                            public key
     */
    public SealedAuditKey reseal(SealedAuditKey key, KeyEncryptionKey previous) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(previous, "previous");
        byte[] privateKey = KeySealing.unsealAuditKey(previous, key);
        try {
            byte[] publicKey = key.publicKey();
            if (!Ed25519Keys.controls(privateKey, publicKey)) {
                throw new KeyUnsealException(
                        "the sealed audit key " + key.describe() + " does not belong to that public key");
            }
            return new SealedAuditKey(publicKey, KeySealing.sealAuditKey(kek, publicKey, privateKey, random));
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
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
