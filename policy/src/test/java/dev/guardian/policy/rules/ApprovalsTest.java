package dev.guardian.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApprovalsTest {
    private static final Asset.Erc20 USDC =
            new Asset.Erc20(Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), "USDC", 6);
    private static final Approvals ONE_BELOW_1000_TWO_ABOVE =
            new Approvals(Duration.ofHours(4), List.of(new Approvals.Step(TokenAmount.parse(USDC, "1000"), 2)));

    @ParameterizedTest(name = "{0} USDC needs {1}")
    @CsvSource({"0.01, 1", "999.99, 1", "1000, 1", "1000.000001, 2", "50000, 2"})
    void requiresMoreApprovalsAboveTheThreshold(String amount, int expected) {
        assertThat(ONE_BELOW_1000_TWO_ABOVE.required(Map.of(USDC, TokenAmount.parse(USDC, amount))))
                .isEqualTo(expected);
    }

    @Test
    void requiresOneApprovalWhenNothingOfTheStepsAssetMoves() {
        assertThat(ONE_BELOW_1000_TWO_ABOVE.required(Map.of(Asset.ether(), TokenAmount.parse(Asset.ether(), "5"))))
                .isEqualTo(1);
        assertThat(Approvals.defaults().required(Map.of(USDC, TokenAmount.parse(USDC, "1000000"))))
                .isEqualTo(1);
    }

    @Test
    void theHighestStepExceededWins() {
        Approvals tiers = new Approvals(
                Duration.ofHours(1),
                List.of(
                        new Approvals.Step(TokenAmount.parse(USDC, "100"), 2),
                        new Approvals.Step(TokenAmount.parse(USDC, "10000"), 3)));

        assertThat(tiers.required(Map.of(USDC, TokenAmount.parse(USDC, "500")))).isEqualTo(2);
        assertThat(tiers.required(Map.of(USDC, TokenAmount.parse(USDC, "20000"))))
                .isEqualTo(3);
    }

    @Test
    void refusesNonsensicalQuorumsAndDeadlines() {
        assertThatThrownBy(() -> new Approvals.Step(TokenAmount.parse(USDC, "1"), 0))
                .hasMessageContaining("1 to 10");
        assertThatThrownBy(() -> new Approvals(Duration.ZERO, List.of())).hasMessageContaining("positive");
    }
}
