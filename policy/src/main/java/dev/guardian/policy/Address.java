package dev.guardian.policy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A 20-byte Ethereum address. Equality is on the bytes; {@link #toString()} prints the EIP-55
 * checksummed form. {@link #parse(String)} rejects a mixed-case string whose checksum is wrong,
 * because a wrong checksum usually means a typo in someone's payee.
 */
public final class Address implements Comparable<Address> {
    public static final int LENGTH = 20;

    private final byte[] bytes;
    /**
     * Computed on first use: hashing every address read from the database (thousands per decision, most
     * never printed) was the payment path's largest CPU cost. A String is safely published, so a race
     * only computes it twice.
     */
    private String checksummed;

    /** The zero address: where burned tokens go and minted ones come from. */
    public static final Address ZERO = new Address(new byte[LENGTH]);

    private Address(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Address of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("an address is 20 bytes");
        }
        return new Address(bytes.clone());
    }

    /**
     * Parses {@code 0x} followed by 40 hex digits. All-lower or all-upper case is accepted as
     * unchecksummed; mixed case must carry a valid EIP-55 checksum.
     */
    public static Address parse(String text) {
        Address address = parseLenient(text);
        String digits = text.substring(2);
        boolean mixedCase =
                !digits.equals(digits.toLowerCase(Locale.ROOT)) && !digits.equals(digits.toUpperCase(Locale.ROOT));
        if (mixedCase && !address.toString().substring(2).equals(digits)) {
            throw new IllegalArgumentException("address checksum (EIP-55) is wrong; expected " + address);
        }
        return address;
    }

    /** Parses without checking the checksum: for addresses read from the chain or from third-party lists. */
    public static Address parseLenient(String text) {
        if (text == null
                || text.length() != 42
                || !(text.startsWith("0x") || text.startsWith("0X"))
                || !text.substring(2).chars().allMatch(Address::isHexDigit)) {
            throw new IllegalArgumentException("an address is 0x followed by 40 hex digits");
        }
        return new Address(Hex.decode(text.substring(2)));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toLowerHex() {
        return Hex.encode(bytes);
    }

    @Override
    public String toString() {
        String text = checksummed;
        if (text == null) {
            text = checksum(bytes);
            checksummed = text;
        }
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Address that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Address other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String checksum(byte[] bytes) {
        String lower = Hex.encode(bytes).substring(2);
        byte[] hash = Keccak256.hash(lower.getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            out.append(Character.isLetter(c) && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }
}
