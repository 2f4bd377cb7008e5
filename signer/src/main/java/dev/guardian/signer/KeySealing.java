package dev.guardian.signer;

import dev.guardian.policy.Address;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;

/**
 * AES-256-GCM sealing of private keys (format version 1): a fresh random 96-bit nonce per seal and a
 * 128-bit tag. The associated data is a fixed label naming the kind of key, the version byte and what
 * the key is bound to (a wallet's address, an audit key's public key), so a ciphertext only opens as
 * the kind of key it was sealed as, for the owner it was sealed for, and only as the format it claims.
 */
final class KeySealing {
    static final byte VERSION_1 = 1;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int MINIMUM_SEALED_LENGTH = 1 + NONCE_LENGTH + TAG_LENGTH;

    private static final byte[] WALLET_LABEL =
            "dev.guardian.signer/wallet-key/aes-256-gcm".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUDIT_LABEL =
            "dev.guardian.signer/audit-key/ed25519/aes-256-gcm".getBytes(StandardCharsets.US_ASCII);

    private KeySealing() {}

    static byte[] seal(KeyEncryptionKey kek, Address address, byte[] privateKey, SecureRandom random) {
        return seal(kek, associatedData(WALLET_LABEL, VERSION_1, address.toBytes()), privateKey, random);
    }

    /** Seals an Ed25519 audit key, bound to its public key. */
    static byte[] sealAuditKey(KeyEncryptionKey kek, byte[] publicKey, byte[] privateKey, SecureRandom random) {
        return seal(kek, associatedData(AUDIT_LABEL, VERSION_1, publicKey), privateKey, random);
    }

    private static byte[] seal(KeyEncryptionKey kek, byte[] associatedData, byte[] privateKey, SecureRandom random) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] ciphertext = kek.withKeyParameter(key -> {
            GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(true, new AEADParameters(key, TAG_LENGTH * 8, nonce, associatedData));
            byte[] out = new byte[gcm.getOutputSize(privateKey.length)];
            int length = gcm.processBytes(privateKey, 0, privateKey.length, out, 0);
            try {
                length += gcm.doFinal(out, length);
            } catch (InvalidCipherTextException e) {
                // Encryption computes the tag; it has nothing to verify and cannot fail this way.
                throw new IllegalStateException("AES-GCM encryption failed", e);
            }
            return length == out.length ? out : Arrays.copyOf(out, length);
        });
        byte[] sealed = new byte[1 + NONCE_LENGTH + ciphertext.length];
        sealed[0] = VERSION_1;
        System.arraycopy(nonce, 0, sealed, 1, NONCE_LENGTH);
        System.arraycopy(ciphertext, 0, sealed, 1 + NONCE_LENGTH, ciphertext.length);
        return sealed;
    }

    /**
     * Opens a sealed key. The caller owns the returned bytes and must zero them after use.
     *
     * @throws KeyUnsealException if the version is unknown, the KEK is wrong, or anything was altered
     */
    static byte[] unseal(KeyEncryptionKey kek, SealedKey sealedKey) {
        Address address = sealedKey.address();
        return unseal(
                kek,
                sealedKey.sealed(),
                associatedData(WALLET_LABEL, VERSION_1, address.toBytes()),
                "the key for " + address,
                "belongs to another address");
    }

    /**
     * Opens a sealed audit key. The caller owns the returned bytes and must zero them after use.
     *
     * @throws KeyUnsealException if the version is unknown, the KEK is wrong, or anything was altered
     */
    static byte[] unsealAuditKey(KeyEncryptionKey kek, SealedAuditKey sealedKey) {
        return unseal(
                kek,
                sealedKey.sealed(),
                associatedData(AUDIT_LABEL, VERSION_1, sealedKey.publicKey()),
                "the audit key " + sealedKey.describe(),
                "belongs to another public key");
    }

    private static byte[] unseal(
            KeyEncryptionKey kek, byte[] sealed, byte[] associatedData, String what, String misplaced) {
        if (sealed[0] != VERSION_1) {
            throw new KeyUnsealException(
                    "cannot unseal " + what + ": unknown sealed-key format version " + Byte.toUnsignedInt(sealed[0]));
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_LENGTH);
        int offset = 1 + NONCE_LENGTH;
        int ciphertextLength = sealed.length - offset;
        return kek.withKeyParameter(key -> {
            GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(false, new AEADParameters(key, TAG_LENGTH * 8, nonce, associatedData));
            byte[] plaintext = new byte[gcm.getOutputSize(ciphertextLength)];
            boolean opened = false;
            try {
                int length = gcm.processBytes(sealed, offset, ciphertextLength, plaintext, 0);
                length += gcm.doFinal(plaintext, length);
                // Both kinds of key are 32 bytes: a secp256k1 scalar, an Ed25519 seed.
                if (length != Secp256k1.PRIVATE_KEY_LENGTH || length != plaintext.length) {
                    throw new KeyUnsealException(
                            "cannot unseal " + what + ": the sealed content is not a 32-byte private key");
                }
                opened = true;
                return plaintext;
            } catch (InvalidCipherTextException e) {
                // Bouncy Castle's message is a fixed text ("mac check in GCM failed"): safe to keep.
                throw new KeyUnsealException(
                        "cannot unseal " + what + ": wrong key-encryption key, or the sealed key was altered or "
                                + misplaced,
                        e);
            } finally {
                if (!opened) {
                    // Whatever was decrypted is unauthenticated or the wrong shape: do not leave it around.
                    Arrays.fill(plaintext, (byte) 0);
                }
            }
        });
    }

    private static byte[] associatedData(byte[] label, byte version, byte[] owner) {
        byte[] aad = new byte[label.length + 1 + owner.length];
        System.arraycopy(label, 0, aad, 0, label.length);
        aad[label.length] = version;
        System.arraycopy(owner, 0, aad, label.length + 1, owner.length);
        return aad;
    }
}
