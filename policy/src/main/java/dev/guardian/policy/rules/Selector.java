package dev.guardian.policy.rules;

import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A function's 4-byte selector: the first four bytes of the Keccak-256 of its canonical signature. */
public record Selector(int value) {
    public static final int LENGTH = 4;

    public static Selector of(byte[] four) {
        if (four.length != LENGTH) {
            throw new IllegalArgumentException("a selector is 4 bytes");
        }
        return new Selector(
                ((four[0] & 0xff) << 24) | ((four[1] & 0xff) << 16) | ((four[2] & 0xff) << 8) | (four[3] & 0xff));
    }

    /** The selector of a canonical signature such as {@code transfer(address,uint256)}. */
    public static Selector ofSignature(String canonicalSignature) {
        return of(Arrays.copyOf(Keccak256.hash(canonicalSignature.getBytes(StandardCharsets.US_ASCII)), LENGTH));
    }

    public byte[] toBytes() {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public String toString() {
        return Hex.encode(toBytes());
    }
}
