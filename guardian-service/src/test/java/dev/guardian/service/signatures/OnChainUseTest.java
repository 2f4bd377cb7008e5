package dev.guardian.service.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** What is recorded of a signature's use when it is signed reads back as the same use, for every kind. */
class OnChainUseTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Address TOKEN = Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
    private static final Address WALLET = Address.parse("0x1111111111111111111111111111111111111111");
    private static final Address SHOP = Address.parse("0x3333333333333333333333333333333333333333");
    private static final Address PERMIT2 = Address.parse("0x000000000022D473030F116dDEE9F6B43aC78BA3");
    private static final Instant UNTIL = Instant.parse("2026-12-02T10:00:00Z");

    /** Through JSON text, as the database column holds it. */
    private static OnChainUse roundTrip(OnChainUse use) {
        String text = JSON.writeValueAsString(use.toJson());
        return OnChainUse.fromJson(JSON.readValue(text, new TypeReference<Map<String, Object>>() {}));
    }

    @Test
    void everyKindReadsBackAsItWasRecorded() {
        byte[] nonce = new byte[32];
        nonce[0] = 7;
        List<OnChainUse> uses = List.of(
                new OnChainUse.Eip3009(TOKEN, WALLET, SHOP, nonce, Instant.EPOCH, UNTIL),
                new OnChainUse.Eip2612(TOKEN, WALLET, BigInteger.valueOf(3), UNTIL),
                new OnChainUse.Permit2Allowance(
                        PERMIT2,
                        WALLET,
                        List.of(
                                new OnChainUse.Permit2Allowance.Grant(TOKEN, SHOP, BigInteger.ZERO),
                                new OnChainUse.Permit2Allowance.Grant(SHOP, TOKEN, BigInteger.TWO.pow(47))),
                        UNTIL),
                new OnChainUse.Permit2Transfer(PERMIT2, WALLET, BigInteger.TWO.pow(255), UNTIL));

        for (OnChainUse use : uses) {
            OnChainUse read = roundTrip(use);
            assertThat(read).as(use.toString()).isEqualTo(use);
            assertThat(read.usableUntil()).isEqualTo(use.usableUntil());
        }
        assertThat(uses.getFirst().toJson()).containsEntry("kind", "eip3009").containsEntry("to", SHOP.toString());
    }

    @Test
    void refusesARecordThatIsNoUse() {
        assertThatThrownBy(() -> OnChainUse.fromJson(Map.of("kind", "safe-tx")))
                .hasMessageContaining("unknown recorded signature use");
        assertThatThrownBy(() -> OnChainUse.fromJson(Map.of("kind", "eip2612", "token", TOKEN.toString())))
                .hasMessageContaining("no owner");
    }
}
