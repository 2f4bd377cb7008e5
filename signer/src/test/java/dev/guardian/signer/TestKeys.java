package dev.guardian.signer;

import dev.guardian.policy.Hex;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Well-known keys and helpers for checking that key material never shows up in text. */
final class TestKeys {
    /** Anvil/Hardhat dev account 0 (printed by {@code anvil} at start-up and in Hardhat's docs). */
    static final String ANVIL_0_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    static final String ANVIL_0_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    private TestKeys() {}

    static byte[] key(String hex) {
        return Hex.decode(hex);
    }

    /** The ways a key could leak into text: hex in either case, base64 with and without padding. */
    static List<String> renderings(byte[] secret) {
        String lowerHex = HexFormat.of().formatHex(secret);
        return List.of(
                lowerHex,
                lowerHex.toUpperCase(Locale.ROOT),
                Base64.getEncoder().encodeToString(secret),
                Base64.getEncoder().withoutPadding().encodeToString(secret),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    static String stackTraceOf(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
