package dev.guardian.service.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValueTypesTest {
    private static final Address A = Address.parseLenient("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    private static final Address B = Address.parseLenient("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");

    @Test
    void contractCallValueMustBeTheNativeCoin() {
        TokenAmount usdc = TokenAmount.ofUnits(new Asset.Erc20(B, "USDC", 6), 1);

        assertThatThrownBy(() -> new ContractCall(A, B, usdc, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("native coin");
    }

    @Test
    void contractCallKeepsItsOwnCopyOfTheCalldata() {
        byte[] data = {1, 2, 3};
        ContractCall call = new ContractCall(A, B, TokenAmount.zero(Asset.ether()), data);
        data[0] = 9;
        call.data()[1] = 9;

        assertThat(call.data()).containsExactly(1, 2, 3);
        assertThat(call).isEqualTo(new ContractCall(A, B, TokenAmount.zero(Asset.ether()), new byte[] {1, 2, 3}));
    }

    @Test
    void feeQuoteMaxFeeMustCoverTheTip() {
        assertThatThrownBy(() -> new FeeQuote(BigInteger.ONE, BigInteger.TWO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultResilienceSettingsAreValid() {
        assertThat(ChainResilienceSettings.defaults().readAttempts()).isEqualTo(3);
    }

    @Test
    void resilienceSettingsRejectNonsense() {
        ChainResilienceSettings d = ChainResilienceSettings.defaults();
        assertThatThrownBy(() -> new ChainResilienceSettings(
                        Duration.ZERO, 3, d.readBackoff(), 50, 20, 10, d.openStateWait(), 8))
                .hasMessageContaining("callTimeout");
        assertThatThrownBy(() -> new ChainResilienceSettings(
                        d.callTimeout(), 0, d.readBackoff(), 50, 20, 10, d.openStateWait(), 8))
                .hasMessageContaining("readAttempts");
        assertThatThrownBy(() -> new ChainResilienceSettings(
                        d.callTimeout(), 3, d.readBackoff(), 0, 20, 10, d.openStateWait(), 8))
                .hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> new ChainResilienceSettings(
                        d.callTimeout(), 3, d.readBackoff(), 50, 5, 10, d.openStateWait(), 8))
                .hasMessageContaining("minimumNumberOfCalls");
        assertThatThrownBy(() -> new ChainResilienceSettings(
                        d.callTimeout(), 3, d.readBackoff(), 50, 20, 10, d.openStateWait(), 0))
                .hasMessageContaining("maxConcurrentCalls");
    }
}
