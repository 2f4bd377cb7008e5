package dev.guardian.policy;

import java.util.HexFormat;

/** Hex with the {@code 0x} prefix, as Ethereum writes it. Strict: odd lengths and stray characters are rejected. */
public final class Hex {
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return "0x" + LOWER.formatHex(bytes);
    }

    public static byte[] decode(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("hex value is missing");
        }
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("hex value has an odd number of digits");
        }
        try {
            return LOWER.parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hex value contains a character that is not a hex digit");
        }
    }
}
