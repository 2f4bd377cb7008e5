package dev.guardian.signer;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 (RFC 8032) through Bouncy Castle's low-level functions, which work on arrays the caller owns,
 * so the private key stays in a byte array that is zeroed after use rather than in a key object.
 */
final class Ed25519Keys {
    static final int PRIVATE_KEY_LENGTH = Ed25519.SECRET_KEY_SIZE;
    static final int PUBLIC_KEY_LENGTH = Ed25519.PUBLIC_KEY_SIZE;
    static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private Ed25519Keys() {}

    static byte[] publicKeyOf(byte[] privateKey) {
        byte[] publicKey = new byte[PUBLIC_KEY_LENGTH];
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return publicKey;
    }

    static byte[] sign(byte[] privateKey, byte[] message) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        Ed25519.sign(privateKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** True when the private key's public key is {@code publicKey}; compares in constant time. */
    static boolean controls(byte[] privateKey, byte[] publicKey) {
        byte[] derived = publicKeyOf(privateKey);
        boolean same = MessageDigest.isEqual(derived, publicKey);
        Arrays.fill(derived, (byte) 0);
        return same;
    }
}
