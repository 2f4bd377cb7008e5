package dev.guardian.service.chain;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns revert data into the text a human and a policy refusal can carry: the {@code Error(string)}
 * message, {@code "panic 0x11 (arithmetic overflow)"}, {@code "custom error 0x<selector> (data 0x...)"}
 * or {@code "reverted without a reason"}. The text comes from whoever wrote the contract, so it is cut to
 * a bounded length and stripped of control characters before it reaches logs and API answers.
 */
final class RevertReasons {
    static final String WITHOUT_REASON = "reverted without a reason";

    private static final int ERROR_STRING_SELECTOR = 0x08c379a0;
    private static final int PANIC_SELECTOR = 0x4e487b71;
    private static final int MAX_REASON_CHARS = 300;
    private static final int MAX_DATA_BYTES_SHOWN = 128;
    private static final HexFormat HEX = HexFormat.of();

    // Solidity's panic codes:
    // https://docs.soliditylang.org/en/latest/control-structures.html#panic-via-assert-and-error-via-require
    private static final Map<Integer, String> PANICS = Map.of(
            0x00, "generic compiler panic",
            0x01, "assertion failed",
            0x11, "arithmetic overflow",
            0x12, "division or modulo by zero",
            0x21, "invalid enum value",
            0x22, "corrupt storage byte array",
            0x31, "pop on empty array",
            0x32, "array index out of bounds",
            0x41, "out of memory",
            0x51, "call to zero-initialised function");

    private RevertReasons() {}

    static String describe(byte[] revertData) {
        if (revertData.length == 0) {
            return WITHOUT_REASON;
        }
        if (revertData.length < 4) {
            return "reverted with data 0x" + HEX.formatHex(revertData);
        }
        int selector = ByteBuffer.wrap(revertData, 0, 4).getInt();
        byte[] payload = Arrays.copyOfRange(revertData, 4, revertData.length);
        if (selector == ERROR_STRING_SELECTOR) {
            String message = errorString(payload);
            if (message != null) {
                return message.isBlank() ? "reverted with an empty reason" : sanitize(message);
            }
        } else if (selector == PANIC_SELECTOR && payload.length == 32) {
            BigInteger code = new BigInteger(1, payload);
            String meaning = code.bitLength() <= 8 ? PANICS.get(code.intValue()) : null;
            return "panic 0x" + String.format("%02x", code) + " (" + (meaning != null ? meaning : "unknown panic code")
                    + ")";
        }
        String described = "custom error 0x" + HEX.formatHex(revertData, 0, 4);
        if (payload.length > 0) {
            described += " (data 0x" + HEX.formatHex(payload, 0, Math.min(payload.length, MAX_DATA_BYTES_SHOWN))
                    + (payload.length > MAX_DATA_BYTES_SHOWN ? "..." : "") + ")";
        }
        return described;
    }

    /** The reason of a node's own refusal (not revert data), e.g. "insufficient funds for gas * price + value". */
    static String sanitize(String text) {
        StringBuilder clean = new StringBuilder(Math.min(text.length(), MAX_REASON_CHARS));
        text.codePoints()
                .limit(MAX_REASON_CHARS)
                .forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > MAX_REASON_CHARS ? clean + "..." : clean.toString();
    }

    /** ABI-decodes the single {@code string} argument of Error(string), or null when the encoding is broken. */
    private static String errorString(byte[] payload) {
        if (payload.length < 64) {
            return null;
        }
        BigInteger offset = new BigInteger(1, Arrays.copyOfRange(payload, 0, 32));
        if (offset.compareTo(BigInteger.valueOf(payload.length - 32L)) > 0) {
            return null;
        }
        int start = offset.intValueExact();
        BigInteger length = new BigInteger(1, Arrays.copyOfRange(payload, start, start + 32));
        if (length.compareTo(BigInteger.valueOf(payload.length - start - 32L)) > 0) {
            return null;
        }
        byte[] text = Arrays.copyOfRange(payload, start + 32, start + 32 + length.intValueExact());
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
