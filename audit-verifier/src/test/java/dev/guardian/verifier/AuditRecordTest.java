package dev.guardian.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The record format as docs/audit.md describes it, down to the bytes that are hashed. */
class AuditRecordTest {

    @Test
    void hashIsTheSha256OfTheCanonicalBodyAsDocumented() {
        AuditRecord record = AuditRecord.create(
                1,
                "2026-11-26T10:00:00.000000Z",
                null,
                "decision",
                "agent:research-bot",
                Map.of("verdict", "ALLOW", "units", "12500000", "nonce", 7),
                AuditRecord.GENESIS_HASH);

        String body =
                "{\"actor\":\"agent:research-bot\",\"event\":\"decision\",\"payload\":{\"nonce\":7,\"units\":\"12500000\","
                        + "\"verdict\":\"ALLOW\"},\"prevHash\":\"" + "0".repeat(64)
                        + "\",\"recordedAt\":\"2026-11-26T10:00:00.000000Z\","
                        + "\"requestId\":null,\"seq\":1}";
        assertThat(record.canonicalBody()).isEqualTo(body);
        // Computed with `printf '%s' "$body" | sha256sum`, independently of this code.
        assertThat(record.hash()).isEqualTo("68d1adfa290c0eea2ba9f29957571e3ac8c4c2dab01efbe18cf0dcdfb4b5812f");
        assertThat(record.toLine())
                .isEqualTo(body.replace(",\"payload\"", ",\"hash\":\"" + record.hash() + "\",\"payload\""));
    }

    @Test
    void aLineReadsBackToTheSameRecord() {
        AuditRecord record = TestChain.typical().records().get(4);

        // Numbers come back as doubles (JCS reads every number so), so compare the canonical forms.
        assertThat(AuditRecord.fromLine(record.toLine()).toLine()).isEqualTo(record.toLine());
        assertThat(AuditRecord.fromCanonicalBody(record.canonicalBody(), record.hash())
                        .toLine())
                .isEqualTo(record.toLine());
        assertThat(AuditRecord.fromLine(record.toLine()).hashIsCorrect()).isTrue();
    }

    static Stream<Arguments> numbersARecordRefuses() {
        return Stream.of(
                Arguments.of(12.5, "not an integer"),
                Arguments.of(new BigDecimal("0.1"), "not an integer"),
                Arguments.of(9007199254740992L, "2^53"),
                Arguments.of(
                        new BigInteger(
                                "115792089237316195423570985008687907853269984665640564039457584007913129639935"),
                        "2^53"),
                Arguments.of(1e20, "2^53"),
                Arguments.of(Double.NaN, "no JSON form"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numbersARecordRefuses")
    void refusesPayloadNumbersThatAreFractionalOrBeyondTheSafeIntegersNamingThePath(Number number, String why) {
        Map<String, Object> payload = Map.of("outer", List.of(Map.of("value", number)));

        assertThatThrownBy(() -> AuditRecord.create(
                        1,
                        "2026-11-26T10:00:00.000000Z",
                        null,
                        "decision",
                        "guardian",
                        payload,
                        AuditRecord.GENESIS_HASH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload.outer[0].value")
                .hasMessageContaining(why);
    }

    @Test
    void acceptsTheLargestSafeIntegersAndIntegralDecimals() {
        AuditRecord record = AuditRecord.create(
                1,
                "2026-11-26T10:00:00.000000Z",
                null,
                "decision",
                "guardian",
                Map.of("max", 9007199254740991L, "min", -9007199254740991L, "whole", new BigDecimal("5.000")),
                AuditRecord.GENESIS_HASH);

        assertThat(record.canonicalBody()).contains("\"max\":9007199254740991,\"min\":-9007199254740991,\"whole\":5");
    }

    @Test
    void refusesObjectsThatAreNotJsonShaped() {
        assertThatThrownBy(() -> AuditRecord.create(
                        1,
                        "2026-11-26T10:00:00.000000Z",
                        null,
                        "decision",
                        "guardian",
                        Map.of("when", Instant.EPOCH),
                        AuditRecord.GENESIS_HASH))
                .hasMessageContaining("payload.when");
    }

    @Test
    void refusesALineWithMissingOrExtraMembers() {
        String line = TestChain.typical().lines().get(0);

        assertThatThrownBy(() -> AuditRecord.fromLine(line.replace("\"actor\":\"guardian\",", "")))
                .hasMessageContaining("exactly the members");
        assertThatThrownBy(() -> AuditRecord.fromLine(line.replace("{\"actor\"", "{\"extra\":1,\"actor\"")))
                .hasMessageContaining("exactly the members");
    }
}
