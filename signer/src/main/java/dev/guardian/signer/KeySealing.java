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
 * 128-bit tag. The associated data is a fixed label, the version byte and the wallet address, so a
 * ciphertext only opens for the address it was sealed for, and only as the format it claims to be.
 */
final class KeySealing {
    static final byte VERSION_1 = 1;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int MINIMUM_SEALED_LENGTH = 1 + NONCE_LENGTH + TAG_LENGTH;

    private static final byte[] LABEL = "dev.guardian.signer/wallet-key/aes-256-gcm".getBytes(StandardCharsets.US_ASCII);

    private KeySealing() {}

    static byte[] seal(KeyEncryptionKey kek, Address address, byte[] privateKey, SecureRandom random) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] ciphertext = kek.withKeyParameter(key -> {
            GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(true, new AEADParameters(key, TAG_LENGTH * 8, nonce, associatedData(VERSION_1, address)));
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
        byte[] sealed = sealedKey.sealed();
        if (sealed[0] != VERSION_1) {
            throw new KeyUnsealException("cannot unseal the key for " + address
                    + ": unknown sealed-key format version " + Byte.toUnsignedInt(sealed[0]));
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_LENGTH);
        int offset = 1 + NONCE_LENGTH;
        int ciphertextLength = sealed.length - offset;
        return kek.withKeyParameter(key -> {
            GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(false, new AEADParameters(key, TAG_LENGTH * 8, nonce, associatedData(VERSION_1, address)));
            byte[] plaintext = new byte[gcm.getOutputSize(ciphertextLength)];
            boolean opened = false;
            try {
                int length = gcm.processBytes(sealed, offset, ciphertextLength, plaintext, 0);
                length += gcm.doFinal(plaintext, length);
                if (length != Secp256k1.PRIVATE_KEY_LENGTH || length != plaintext.length) {
                    throw new KeyUnsealException("cannot unseal the key for " + address
                            + ": the sealed content is not a 32-byte private key");
                }
                opened = true;
                return plaintext;
            } catch (InvalidCipherTextException e) {
                // Bouncy Castle's message is a fixed text ("mac check in GCM failed"): safe to keep.
                throw new KeyUnsealException("cannot unseal the key for " + address
                        + ": wrong key-encryption key, or the sealed key was altered or belongs to another address", e);
            } finally {
                if (!opened) {
                    // Whatever was decrypted is unauthenticated or the wrong shape: do not leave it around.
                    Arrays.fill(plaintext, (byte) 0);
                }
            }
        });
    }

    private static byte[] associatedData(byte version, Address address) {
        byte[] addressBytes = address.toBytes();
        byte[] aad = new byte[LABEL.length + 1 + addressBytes.length];
        System.arraycopy(LABEL, 0, aad, 0, LABEL.length);
        aad[LABEL.length] = version;
        System.arraycopy(addressBytes, 0, aad, LABEL.length + 1, addressBytes.length);
        return aad;
    }
}
