package dev.guardian.signer;

import dev.guardian.policy.Address;

/**
 * The narrow signing interface: which address signs, and a signature over a 32-byte digest. One
 * implementation per key backend; callers never see how or where the key is kept.
 */
public interface Signer {

    /** The address whose private key produces this signer's signatures. */
    Address address();

    /**
     * Signs a 32-byte digest (for example the Keccak-256 of a transaction's signing payload) with
     * deterministic RFC 6979 nonces; the signature is low-s normalised and carries its recovery id.
     *
     * @throws IllegalArgumentException if the digest is not exactly 32 bytes
     * @throws KeyUnsealException if the key behind this signer cannot be used
     */
    Signature sign(byte[] digest32);
}
