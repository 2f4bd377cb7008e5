package dev.guardian.service.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RevertReasonsTest {

    @ParameterizedTest
    @CsvSource({
        "01, panic 0x01 (assertion failed)",
        "11, panic 0x11 (arithmetic overflow)",
        "12, panic 0x12 (division or modulo by zero)",
        "32, panic 0x32 (array index out of bounds)",
        "99, panic 0x99 (unknown panic code)",
    })
    void describesPanicCodes(String code, String expected) {
        assertThat(RevertReasons.describe(Hex.decode("0x4e487b71" + "0".repeat(62) + code)))
                .isEqualTo(expected);
    }

    @Test
    void replacesControlCharactersInAContractsReason() {
        assertThat(RevertReasons.describe(errorString("line one\nline two\u0007")))
                .isEqualTo("line one?line two?");
    }

    @Test
    void cutsAnOverlongReason() {
        String reason = RevertReasons.describe(errorString("x".repeat(1000)));

        assertThat(reason).hasSize(303).endsWith("...");
    }

    @Test
    void describesErrorStringDataThatDoesNotDecodeAsRawData() {
        // The selector of Error(string) with an offset pointing past the end.
        byte[] broken = Hex.decode("0x08c379a0" + "0".repeat(62) + "ff" + "0".repeat(64));

        assertThat(RevertReasons.describe(broken)).startsWith("custom error 0x08c379a0 (data 0x");
    }

    @Test
    void describesDataShorterThanASelector() {
        assertThat(RevertReasons.describe(new byte[] {1, 2})).isEqualTo("reverted with data 0x0102");
        assertThat(RevertReasons.describe(new byte[0])).isEqualTo("reverted without a reason");
    }

    /** ABI encoding of Error(string) for a short ASCII text. */
    private static byte[] errorString(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 31) / 32 * 32;
        StringBuilder hex = new StringBuilder("0x08c379a0")
                .append(String.format("%064x", 32))
                .append(String.format("%064x", bytes.length));
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        hex.append("00".repeat(padded - bytes.length));
        return Hex.decode(hex.toString());
    }
}
