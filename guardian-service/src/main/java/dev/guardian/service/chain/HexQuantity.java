package dev.guardian.service.chain;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A JSON-RPC quantity: {@code 0x} followed by 1 to 64 hex digits (no even-length rule, leading zeros
 * tolerated, so nodes that pad are read too). Callers say what a malformed one means where they are.
 */
public final class HexQuantity {
    private static final Pattern FORM = Pattern.compile("0[xX][0-9a-fA-F]{1,64}");

    private HexQuantity() {}

    public static Optional<BigInteger> parse(String text) {
        return text != null && FORM.matcher(text).matches()
                ? Optional.of(new BigInteger(text.substring(2), 16))
                : Optional.empty();
    }
}
