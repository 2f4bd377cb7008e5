package dev.guardian.policy;

import java.util.Arrays;

/** A 32-byte transaction hash. */
public final class TxHash {
    private final byte[] bytes;

    private TxHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static TxHash of(byte[] bytes) {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException("a transaction hash is 32 bytes");
        }
        return new TxHash(bytes.clone());
    }

    public static TxHash parse(String hex) {
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
        return other instanceof TxHash that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
