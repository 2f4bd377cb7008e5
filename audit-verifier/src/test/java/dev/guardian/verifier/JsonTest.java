package dev.guardian.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader refuses anything outside RFC 8259 and I-JSON instead of guessing what was meant. */
class JsonTest {

    @Test
    void readsObjectsArraysAndScalarsIntoPlainJava() {
        Object value = Json.parse(" {\"a\": [1, -2.5e1, \"x\\u00e9\", true, false, null], \"b\": {}} ");

        assertThat(value).isEqualTo(Map.of("a", Arrays.asList(1.0, -25.0, "xé", true, false, null), "b", Map.of()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1,\"a\":2}", // duplicate member (I-JSON)
                "[1,]", // trailing comma
                "{\"a\":1,}",
                "01", // leading zero
                "+1",
                "0x10",
                ".5",
                "1.",
                "1e",
                "1e999", // beyond double range
                "\"\\x\"", // unknown escape
                "\"a\nb\"", // raw control character
                "\"\\ud800\"", // lone surrogate
                "\"abc",
                "[1 2]",
                "{a:1}",
                "nul",
                "1 2",
                "",
                "NaN",
            })
    void refusesTextThatIsNotStrictJson(String text) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON at offset");
    }

    @Test
    void refusesNestingDeeperThanSixtyFourLevels() {
        String deep = "[".repeat(65) + "]".repeat(65);

        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("deeper");
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
    }

    @Test
    void keepsSurrogatePairs() {
        assertThat(Json.parse("\"\\ud83d\\ude02\"")).isEqualTo("\ud83d\ude02");
    }
}
