package dev.guardian.service.safe;

import dev.guardian.policy.Hex;
import java.util.Arrays;

/**
 * The EIP-712 digest of a {@link SafeTransaction} for one Safe on one chain: what every owner signs and what
 * the Safe's {@code getTransactionHash} returns. Its own type so that it is never taken for the hash of the
 * Ethereum transaction that later carries it to the Safe.
 */
public final class SafeTxHash {
    private final byte[] bytes;

    private SafeTxHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SafeTxHash of(byte[] bytes) {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException("a SafeTx hash is 32 bytes");
        }
        return new SafeTxHash(bytes.clone());
    }

    public static SafeTxHash parse(String hex) {
        return of(Hex.decode(hex));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SafeTxHash that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
