package dev.guardian.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8785 against its published vectors: the reference test data, the RFC's examples and Appendix B. */
class JcsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "arrays.json",
                "french.json",
                "simpleString.json",
                "structures.json",
                "unicode.json",
                "values.json",
                "weird.json"
            })
    void canonicalizesTheReferenceTestDataExactly(String file) throws IOException {
        String input = resource("jcs/input/" + file);
        byte[] expected = resource("jcs/output/" + file).getBytes(StandardCharsets.UTF_8);

        assertThat(Jcs.canonicalize(input).getBytes(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void canonicalizesTheExampleOfSection322ToItsPublishedUtf8Bytes() {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50,
                              2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        String utf8Hex = """
                7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
                75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
                5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
                65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
                5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
                30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d""";

        assertThat(Jcs.canonicalBytes(Json.parse(input)))
                .isEqualTo(HexFormat.of().parseHex(utf8Hex.replaceAll("\\s", "")));
    }

    @Test
    void sortsMembersByUtf16CodeUnitsAsInSection323() {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";

        assertThat(Jcs.canonicalize(input))
                .isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                        + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                        + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // RFC 8785 Appendix B: IEEE 754 bits, and the canonical text of that double.
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void formatsNumbersAsAppendixBOfRfc8785(String ieeeHex, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));

        assertThat(Jcs.formatNumber(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void refusesNumbersJsonCannotCarry(double value) {
        assertThatThrownBy(() -> Jcs.formatNumber(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAProgramsIntegerThatNoDoubleHoldsExactlyRatherThanRoundingIt() {
        assertThatThrownBy(() -> Jcs.canonicalize(List.of(9007199254740993L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9007199254740993")
                .hasMessageContaining("string");
        assertThatThrownBy(() -> Jcs.canonicalize(List.of(new BigInteger("340282366920938463463374607431768211457"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jcs.canonicalize(List.of(new BigDecimal("0.1"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesExactlyRepresentableProgramNumbersLikeTheirDouble() {
        assertThat(Jcs.canonicalize(List.of(9007199254740992L, -42, new BigDecimal("4.50"), (short) 7, 2.5f)))
                .isEqualTo("[9007199254740992,-42,4.5,7,2.5]");
    }

    @Test
    void refusesALoneSurrogateInAString() {
        assertThatThrownBy(() -> Jcs.canonicalize(List.of("a\ud800b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void escapesControlCharactersInLowerCaseHexAndLeavesEverythingElseLiteral() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "\u0000\u001f\u007f\u2028</>é\t");

        assertThat(Jcs.canonicalize(value)).isEqualTo("{\"s\":\"\\u0000\\u001f\u007f\u2028</>é\\t\"}");
    }

    @Test
    void refusesValuesThatAreNotJsonShaped() {
        assertThatThrownBy(() -> Jcs.canonicalize(List.of(new Object()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jcs.canonicalize(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = JcsTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
