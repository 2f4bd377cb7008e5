package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.signer.Signature;
import dev.guardian.signer.Signer;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Guardian's cover for one Safe transaction: the most USDC and ETH the Safe may lose by it, and the last
 * moment it may run, signed by Guardian's co-signing key for the guard contract installed on the Safe. It
 * travels as the last 165 bytes of {@code execTransaction}'s {@code signatures}, after the owners' signatures
 * (the Safe ignores them; see {@link SafeSignatures#encode(java.util.Collection, byte[])}):
 * {@code "GSC2" (0x47534332) || uint256 maxTokenOut || uint256 maxEthOut || uint256 validUntil || r || s || v}.
 * The guard checks after execution that the Safe's balances fell by no more than these amounts, so a call
 * that behaves on chain otherwise than it did in Guardian's simulation reverts instead of paying; and it
 * refuses the cover in any block later than {@code validUntil}, so co-signed bytes whose relayed execution
 * reverted or was replaced cannot be used once Guardian no longer holds a reservation for them.
 *
 * <p>The signature is raw ECDSA (no EIP-191 or EIP-712 prefix) over {@link #digest}:
 * {@code keccak256(abi.encode(guard, safe, chainId, safeTxHash, maxTokenOut, maxEthOut, validUntil))}, bound
 * to the guard, the Safe, the chain and the one transaction, so it cannot be replayed on any other.
 *
 * @param maxTokenOut the most USDC, in its smallest units, the Safe's balance may fall by
 * @param maxEthOut   the most ETH, in wei, the Safe's balance may fall by
 * @param validUntil  the last block timestamp (Unix seconds, included) at which the guard accepts the cover
 */
public record SafeCover(BigInteger maxTokenOut, BigInteger maxEthOut, long validUntil, Signature guardianSignature) {
    /** ASCII "GSC2": Guardian Safe Cover, version 2 (the first with a deadline). */
    public static final byte[] MAGIC = {0x47, 0x53, 0x43, 0x32};

    /** magic (4) + maxTokenOut (32) + maxEthOut (32) + validUntil (32) + r (32) + s (32) + v (1). */
    public static final int LENGTH = 165;

    public SafeCover {
        requireUint256("maxTokenOut", maxTokenOut);
        requireUint256("maxEthOut", maxEthOut);
        if (validUntil < 0) {
            throw new IllegalArgumentException("validUntil: " + validUntil + " is before 1970");
        }
        Objects.requireNonNull(guardianSignature, "guardianSignature");
    }

    /** The instant {@link #validUntil} names. */
    public Instant validUntilInstant() {
        return Instant.ofEpochSecond(validUntil);
    }

    /**
     * The 32 bytes Guardian signs:
     * {@code keccak256(abi.encode(guard, safe, chainId, safeTxHash, maxTokenOut, maxEthOut, validUntil))}.
     */
    public static byte[] digest(
            Address guard,
            Address safe,
            ChainId chainId,
            SafeTxHash safeTxHash,
            BigInteger maxTokenOut,
            BigInteger maxEthOut,
            long validUntil) {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(safe, "safe");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(safeTxHash, "safeTxHash");
        return Keccak256.hash(Abi.encode(
                Abi.address(guard),
                Abi.address(safe),
                Abi.uint(chainId.value()),
                Abi.bytes32(safeTxHash.toBytes()),
                Abi.uint(maxTokenOut),
                Abi.uint(maxEthOut),
                Abi.uint(BigInteger.valueOf(validUntil))));
    }

    /** Signs the cover with {@code guardian}, the co-signing key the guard knows for this Safe. */
    public static SafeCover sign(
            Signer guardian,
            Address guard,
            Address safe,
            ChainId chainId,
            SafeTxHash safeTxHash,
            BigInteger maxTokenOut,
            BigInteger maxEthOut,
            long validUntil) {
        Objects.requireNonNull(guardian, "guardian");
        byte[] digest = digest(guard, safe, chainId, safeTxHash, maxTokenOut, maxEthOut, validUntil);
        return new SafeCover(maxTokenOut, maxEthOut, validUntil, guardian.sign(digest));
    }

    /** The 165-byte blob to append after the owners' signatures. */
    public byte[] encode() {
        byte[] blob = new byte[LENGTH];
        System.arraycopy(MAGIC, 0, blob, 0, 4);
        System.arraycopy(Abi.uint(maxTokenOut).word(), 0, blob, 4, 32);
        System.arraycopy(Abi.uint(maxEthOut).word(), 0, blob, 36, 32);
        System.arraycopy(Abi.uint(BigInteger.valueOf(validUntil)).word(), 0, blob, 68, 32);
        System.arraycopy(guardianSignature.toRsv(), 0, blob, 100, 65);
        return blob;
    }

    /**
     * Reads a cover from its 165 bytes, strictly: the magic, a validUntil that fits a long, then a canonical
     * signature (low s, v 27/28), the only form the guard accepts.
     *
     * @throws IllegalArgumentException if the blob is not such a cover
     */
    public static SafeCover decode(byte[] blob) {
        if (blob == null || blob.length != LENGTH) {
            throw new IllegalArgumentException(
                    "a Safe cover is " + LENGTH + " bytes, got " + (blob == null ? "none" : blob.length));
        }
        if (!Arrays.equals(blob, 0, 4, MAGIC, 0, 4)) {
            throw new IllegalArgumentException("a Safe cover starts with the magic 0x47534332 (\"GSC2\")");
        }
        BigInteger validUntil = new BigInteger(1, Arrays.copyOfRange(blob, 68, 100));
        if (validUntil.bitLength() > 63) {
            throw new IllegalArgumentException("a Safe cover's validUntil is a Unix time, got " + validUntil);
        }
        return new SafeCover(
                new BigInteger(1, Arrays.copyOfRange(blob, 4, 36)),
                new BigInteger(1, Arrays.copyOfRange(blob, 36, 68)),
                validUntil.longValueExact(),
                Signature.fromRsv(Arrays.copyOfRange(blob, 100, LENGTH)));
    }

    /** Who signed this cover for that guard, Safe, chain and transaction (the guard compares it with Guardian's key). */
    public Address signer(Address guard, Address safe, ChainId chainId, SafeTxHash safeTxHash) {
        return guardianSignature.recoverSigner(
                digest(guard, safe, chainId, safeTxHash, maxTokenOut, maxEthOut, validUntil));
    }

    private static void requireUint256(String field, BigInteger value) {
        Objects.requireNonNull(value, field);
        if (value.signum() < 0 || value.compareTo(TokenAmount.MAX_UINT256) > 0) {
            throw new IllegalArgumentException(field + ": " + value + " is not a uint256");
        }
    }
}
