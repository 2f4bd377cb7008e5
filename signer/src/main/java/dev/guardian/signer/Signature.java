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
    private static final int RSV_LENGTH = 65;

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
     * The 65-byte form {@code r || s || v} with {@code v = 27 + recoveryId}: what {@code eth_signTypedData_v4}
     * returns and what EIP-3009's {@code bytes signature} and x402 payment payloads carry.
     */
    public byte[] toRsv() {
        byte[] rsv = new byte[RSV_LENGTH];
        System.arraycopy(r, 0, rsv, 0, 32);
        System.arraycopy(s, 0, rsv, 32, 32);
        rsv[64] = (byte) (27 + recoveryId);
        return rsv;
    }

    /**
     * Reads the 65-byte {@code r || s || v} form. Only v = 27 or 28 is accepted: 0/1 and EIP-155 style
     * values are other encodings, and the verifying contracts (ecrecover) take 27 and 28 only. The
     * constructor's checks apply, so a high-s signature is refused here too.
     *
     * @throws IllegalArgumentException if the bytes are not such a signature
     */
    public static Signature fromRsv(byte[] rsv) {
        if (rsv == null || rsv.length != RSV_LENGTH) {
            throw new IllegalArgumentException("an r||s||v signature is 65 bytes");
        }
        int v = Byte.toUnsignedInt(rsv[64]);
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("v must be 27 or 28, was " + v);
        }
        return new Signature(Arrays.copyOfRange(rsv, 0, 32), Arrays.copyOfRange(rsv, 32, 64), v - 27);
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
