package dev.guardian.signer;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secp256k1 ECDSA signature as Ethereum uses it: r and s as 32 big-endian bytes each, s in the lower
 * half of the group order (EIP-2), and the recovery id (the y-parity of R, 0 or 1) that lets anyone
 * recover the signer's address from the digest.
 */
public record Signature(byte[] r, byte[] s, int recoveryId) {

    public Signature {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(s, "s");
        if (r.length != 32 || s.length != 32) {
            throw new IllegalArgumentException("r and s are 32 bytes each");
        }
        if (recoveryId != 0 && recoveryId != 1) {
            throw new IllegalArgumentException("a recovery id is 0 or 1");
        }
        BigInteger rValue = new BigInteger(1, r);
        BigInteger sValue = new BigInteger(1, s);
        if (rValue.signum() == 0 || rValue.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("r must be between 1 and the group order minus 1");
        }
        if (sValue.signum() == 0 || sValue.compareTo(Secp256k1.HALF_N) > 0) {
            throw new IllegalArgumentException("s must be between 1 and half the group order (low-s, EIP-2)");
        }
        r = r.clone();
        s = s.clone();
    }

    @Override
    public byte[] r() {
        return r.clone();
    }

    @Override
    public byte[] s() {
        return s.clone();
    }

    /**
     * The address whose key made this signature over {@code digest32}.
     *
     * @throws IllegalArgumentException if the digest is not 32 bytes or no key recovers from it
     */
    public Address recoverSigner(byte[] digest32) {
        if (digest32 == null || digest32.length != Secp256k1.DIGEST_LENGTH) {
            throw new IllegalArgumentException("a digest is 32 bytes");
        }
        return Secp256k1.recover(digest32, new BigInteger(1, r), new BigInteger(1, s), recoveryId)
                .orElseThrow(
                        () -> new IllegalArgumentException("no public key recovers from this signature and digest"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Signature that
                && recoveryId == that.recoveryId
                && Arrays.equals(r, that.r)
                && Arrays.equals(s, that.s);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(r) + Arrays.hashCode(s)) + recoveryId;
    }

    @Override
    public String toString() {
        return "Signature[r=" + Hex.encode(r) + ", s=" + Hex.encode(s) + ", recoveryId=" + recoveryId + "]";
    }
}
