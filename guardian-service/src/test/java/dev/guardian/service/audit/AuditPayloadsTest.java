package dev.guardian.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One spelling for every value an event may hold, derived from the event's own record, with no database. */
class AuditPayloadsTest {
    private static final Address ADDRESS = Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");

    record Nested(String label, Optional<Integer> count) {}

    enum Mood {
        CALM
    }

    @AuditEvent.Name("test.everything")
    record Everything(
            AgentId agent,
            WalletId wallet,
            Address address,
            TxHash hash,
            BigInteger big,
            long small,
            boolean flag,
            Instant at,
            Duration window,
            UUID id,
            Mood mood,
            byte[] bytes,
            Optional<String> absent,
            Optional<String> present,
            String none,
            List<Nested> nested,
            Map<String, Object> map)
            implements AuditEvent {}

    @AuditEvent.Name("Not A Name")
    record BadlyNamed(String x) implements AuditEvent {}

    record Unnamed(String x) implements AuditEvent {}

    @Test
    void spellsEachValueOneWayAndLeavesOutWhatIsAbsent() {
        UUID id = UUID.fromString("2f1c8a4e-0000-4000-8000-000000000001");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kept", 1);
        map.put("dropped", null);

        Map<String, Object> payload = AuditPayloads.payloadOf(new Everything(
                new AgentId("bot"),
                new WalletId("bot-wallet"),
                ADDRESS,
                TxHash.of(new byte[32]),
                new BigInteger("123456789012345678901234567890"),
                7,
                true,
                Instant.parse("2026-12-01T10:00:00Z"),
                Duration.ofHours(24),
                id,
                Mood.CALM,
                new byte[] {(byte) 0xab, 0x01},
                Optional.empty(),
                Optional.of("here"),
                null,
                List.of(new Nested("a", Optional.of(2)), new Nested("b", Optional.empty())),
                map));

        assertThat(payload)
                .containsExactly(
                        Map.entry("agent", "bot"),
                        Map.entry("wallet", "bot-wallet"),
                        Map.entry("address", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"),
                        Map.entry("hash", "0x" + "00".repeat(32)),
                        Map.entry("big", "123456789012345678901234567890"),
                        Map.entry("small", 7L),
                        Map.entry("flag", true),
                        Map.entry("at", "2026-12-01T10:00:00Z"),
                        Map.entry("window", "PT24H"),
                        Map.entry("id", id.toString()),
                        Map.entry("mood", "CALM"),
                        Map.entry("bytes", "0xab01"),
                        Map.entry("present", "here"),
                        Map.entry("nested", List.of(Map.of("label", "a", "count", 2), Map.of("label", "b"))),
                        Map.entry("map", Map.of("kept", 1)));
    }

    @Test
    void theNameIsTheAnnotationsAndMustBeLowerCaseWords() {
        assertThat(AuditPayloads.nameOf(Everything.class)).isEqualTo("test.everything");
        assertThatThrownBy(() -> AuditPayloads.nameOf(BadlyNamed.class)).hasMessageContaining("lower case");
        assertThatThrownBy(() -> AuditPayloads.payloadOf(new Unnamed("x")))
                .hasMessageContaining("not an audit event type");
    }

    @Test
    void refusesValuesItCannotSpell() {
        assertThatThrownBy(() -> AuditPayloads.payloadOf(new TestEvents.Value(1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Double");
        assertThatThrownBy(() -> AuditPayloads.payloadOf(new TestEvents.Value(new StringBuilder("x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
