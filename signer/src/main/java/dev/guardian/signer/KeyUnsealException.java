package dev.guardian.signer;

/**
 * A sealed wallet key could not be turned back into a usable private key: the key-encryption key is
 * not the one it was sealed with, the ciphertext was altered or moved to another wallet's row, or its
 * format is unknown. The message names the address only; it never carries key material.
 */
public class KeyUnsealException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyUnsealException(String message) {
        super(message);
    }

    public KeyUnsealException(String message, Throwable cause) {
        super(message, cause);
    }
}
