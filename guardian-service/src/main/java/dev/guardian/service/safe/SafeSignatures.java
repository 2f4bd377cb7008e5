package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.policy.Keccak256;
import dev.guardian.signer.Signature;
import dev.guardian.signer.Signer;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Owner signatures over a SafeTx hash, as Safe 1.4.1's {@code checkNSignatures} reads them: 65 bytes
 * {@code r || s || v} per owner, concatenated in ascending order of the owner's address (the Safe requires
 * each signer to be greater than the one before, which is also how it refuses one owner signing twice), and
 * anything after the last one ignored by the Safe, which is where a guard reads its own data.
 *
 * <p>Two kinds of ECDSA signature are taken from an agent: over the hash itself ({@code eth_signTypedData_v4}
 * of {@link SafeTransactions#typedData}, v 27/28) and over the eth_sign message of the hash (v 31/32, which
 * the Safe checks against {@code "\x19Ethereum Signed Message:\n32" || hash}). Either is refused unless
 * canonical: r and s in range, s low (EIP-2). Guardian's own signature is always the first kind.
 */
public final class SafeSignatures {
    /** One owner's signature as the Safe reads it. */
    public static final int LENGTH = 65;

    /** secp256k1's group order n. */
    private static final BigInteger N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final byte[] ETH_SIGN_PREFIX =
            "\u0019Ethereum Signed Message:\n32".getBytes(StandardCharsets.US_ASCII);
    /** Safe adds 4 to v to mark a signature over the eth_sign message (v > 30 in checkNSignatures). */
    private static final int ETH_SIGN_V_OFFSET = 4;

    private SafeSignatures() {}

    /**
     * One owner's 65-byte signature in the form the Safe reads it: v is 27/28 (ECDSA over the SafeTx hash)
     * or 31/32 (ECDSA over its eth_sign message). Holds canonical signatures only (low s), so each
     * approval has exactly one encoding.
     */
    public record OwnerSignature(Address owner, byte[] encoded) {
        public OwnerSignature {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(encoded, "encoded");
            if (encoded.length != LENGTH) {
                throw new IllegalArgumentException("an owner signature is 65 bytes, got " + encoded.length);
            }
            int v = Byte.toUnsignedInt(encoded[64]);
            if (v != 27 && v != 28 && v != 31 && v != 32) {
                throw new IllegalArgumentException("an owner signature's v is 27, 28, 31 or 32, was " + v);
            }
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(encoded, 32, 64));
            if (s.signum() == 0 || s.compareTo(HALF_N) > 0) {
                throw new IllegalArgumentException("an owner signature's s is low (EIP-2)");
            }
            encoded = encoded.clone();
        }

        @Override
        public byte[] encoded() {
            return encoded.clone();
        }

        /** Whether it signs the eth_sign message of the hash (v 31/32) rather than the hash itself. */
        public boolean overEthSignMessage() {
            return Byte.toUnsignedInt(encoded[64]) > 30;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof OwnerSignature that
                    && owner.equals(that.owner)
                    && Arrays.equals(encoded, that.encoded);
        }

        @Override
        public int hashCode() {
            return 31 * owner.hashCode() + Arrays.hashCode(encoded);
        }

        @Override
        public String toString() {
            return "OwnerSignature[owner=" + owner + ", v=" + Byte.toUnsignedInt(encoded[64]) + "]";
        }
    }

    /** Guardian's (or any {@link Signer}'s) signature over the hash itself, v 27/28. */
    public static OwnerSignature sign(Signer signer, SafeTxHash hash) {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(hash, "hash");
        return new OwnerSignature(signer.address(), signer.sign(hash.toBytes()).toRsv());
    }

    /**
     * Who signed {@code hash} with {@code signature} (65 bytes {@code r || s || v}, as a wallet returns it),
     * and the signature normalised to the form the Safe reads (v 0/1 become 27/28). The caller compares the
     * owner with the address it expects, the agent's.
     *
     * @throws SafeSignatureException if the bytes are not a canonical ECDSA signature of a kind listed in
     *     {@link SafeSignatureException.Reason}, or no key recovers from them
     */
    public static OwnerSignature recover(SafeTxHash hash, byte[] signature) {
        Objects.requireNonNull(hash, "hash");
        if (signature == null || signature.length != LENGTH) {
            throw new SafeSignatureException(
                    SafeSignatureException.Reason.LENGTH,
                    "a Safe owner signature is 65 bytes (r || s || v), got "
                            + (signature == null ? "none" : signature.length));
        }
        int v = Byte.toUnsignedInt(signature[64]);
        boolean ethSign = v == 31 || v == 32;
        int recoveryId;
        if (v == 0 || v == 1) {
            recoveryId = v; // a wallet that returns the recovery id itself
        } else if (v == 27 || v == 28) {
            recoveryId = v - 27;
        } else if (ethSign) {
            recoveryId = v - 27 - ETH_SIGN_V_OFFSET;
        } else {
            throw new SafeSignatureException(
                    SafeSignatureException.Reason.V_UNSUPPORTED,
                    "v is " + v + "; Guardian takes 27 or 28 (or 0 or 1) for a signature over the SafeTx hash"
                            + " and 31 or 32 for one over its eth_sign message");
        }
        byte[] r = Arrays.copyOfRange(signature, 0, 32);
        byte[] s = Arrays.copyOfRange(signature, 32, 64);
        BigInteger rValue = new BigInteger(1, r);
        BigInteger sValue = new BigInteger(1, s);
        if (rValue.signum() == 0 || rValue.compareTo(N) >= 0 || sValue.signum() == 0 || sValue.compareTo(N) >= 0) {
            throw new SafeSignatureException(
                    SafeSignatureException.Reason.OUT_OF_RANGE,
                    "r and s must each be between 1 and the secp256k1 group order minus 1");
        }
        if (sValue.compareTo(HALF_N) > 0) {
            throw new SafeSignatureException(
                    SafeSignatureException.Reason.MALLEABLE_S,
                    "s is in the upper half of the group order (" + sValue.toString(16) + " > " + HALF_N.toString(16)
                            + "); sign again with a wallet that produces low-s signatures (EIP-2)");
        }
        byte[] digest = ethSign ? ethSignDigest(hash) : hash.toBytes();
        Address owner;
        try {
            owner = new Signature(r, s, recoveryId).recoverSigner(digest);
        } catch (IllegalArgumentException e) {
            throw new SafeSignatureException(
                    SafeSignatureException.Reason.UNRECOVERABLE,
                    "no public key recovers from this signature for SafeTx hash " + hash);
        }
        byte[] normalised = signature.clone();
        normalised[64] = (byte) (27 + recoveryId + (ethSign ? ETH_SIGN_V_OFFSET : 0));
        return new OwnerSignature(owner, normalised);
    }

    /**
     * The {@code signatures} argument of {@code execTransaction} and {@code checkSignatures}: each signature,
     * ordered by owner address ascending.
     *
     * @throws IllegalArgumentException if there is none, or two are by the same owner (the Safe would refuse
     *     them with GS026)
     */
    public static byte[] encode(Collection<OwnerSignature> signatures) {
        return encode(signatures, new byte[0]);
    }

    /**
     * As {@link #encode(Collection)}, followed by {@code trailing}: bytes the Safe does not read, such as a
     * guard's {@link SafeCover}. The Safe reads exactly its threshold of signatures from the front, so pass
     * exactly the threshold's number of signatures: with fewer, the Safe would read the first bytes of
     * {@code trailing} as a signature (and refuse it), and a guard would not find its cover where it looks.
     */
    public static byte[] encode(Collection<OwnerSignature> signatures, byte[] trailing) {
        Objects.requireNonNull(signatures, "signatures");
        Objects.requireNonNull(trailing, "trailing");
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("a Safe transaction needs at least one owner signature");
        }
        List<OwnerSignature> sorted = new ArrayList<>(signatures);
        // Address compares as an unsigned 160-bit number, which is how the Safe compares owners.
        sorted.sort(Comparator.comparing(OwnerSignature::owner));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0 && sorted.get(i).owner().equals(sorted.get(i - 1).owner())) {
                throw new IllegalArgumentException(
                        "two signatures by " + sorted.get(i).owner() + ": each owner signs once");
            }
            out.writeBytes(sorted.get(i).encoded());
        }
        out.writeBytes(trailing);
        return out.toByteArray();
    }

    /** keccak256("\x19Ethereum Signed Message:\n32" || hash): what a v 31/32 signature signs. */
    static byte[] ethSignDigest(SafeTxHash hash) {
        byte[] message = new byte[ETH_SIGN_PREFIX.length + 32];
        System.arraycopy(ETH_SIGN_PREFIX, 0, message, 0, ETH_SIGN_PREFIX.length);
        System.arraycopy(hash.toBytes(), 0, message, ETH_SIGN_PREFIX.length, 32);
        return Keccak256.hash(message);
    }
}
