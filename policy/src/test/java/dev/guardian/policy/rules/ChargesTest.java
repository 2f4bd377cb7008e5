package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Transfer;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a request charges against the limits: value moved, and allowances as if their amount moved now. */
class ChargesTest {

    private static Charges charges(EvaluationBuilder builder) {
        return builder.build().charges();
    }

    @Test
    void anAllowanceChargesItsIncreaseOverWhatIsHeld() {
        Charges charges = charges(evaluation()
                .holdsAllowance(usdc("30"), DEX_ROUTER, NOW.minusSeconds(60))
                .approves(usdc("100"), DEX_ROUTER));

        assertThat(charges.total()).containsExactly(Map.entry(USDC, usdc("70")));
        assertThat(charges.exposureIncreases())
                .containsExactly(new Charges.ExposureIncrease(usdc("70"), DEX_ROUTER, Approval.Kind.ERC20));
        assertThat(charges.byCounterparty()).containsEntry(DEX_ROUTER, Map.of(USDC, usdc("70")));
    }

    @Test
    void grantedAndUsedInOneCallItCountsOnce() {
        Charges charges = charges(evaluation()
                .approves(usdc("40"), DEX_ROUTER)
                .effect(new Transfer(usdc("40"), WALLET, MERCHANT, Optional.of(DEX_ROUTER))));

        assertThat(charges.total()).containsExactly(Map.entry(USDC, usdc("40")));
        assertThat(charges.coveredUses())
                .containsExactly(new Charges.CoveredUse(usdc("40"), DEX_ROUTER, Approval.Kind.ERC20, MERCHANT));
    }

    @Test
    void aUseBeyondTheHeldAllowanceCountsAsValueMoved() {
        Charges charges = charges(evaluation()
                .holdsAllowance(usdc("10"), DEX_ROUTER, NOW.minusSeconds(60))
                .effect(new Transfer(usdc("25"), WALLET, STRANGER, Optional.of(DEX_ROUTER))));

        assertThat(charges.total()).containsExactly(Map.entry(USDC, usdc("15")));
        assertThat(charges.outflowByRecipient()).containsEntry(STRANGER, Map.of(USDC, usdc("15")));
    }

    @Test
    void loweringOrRevokingChargesNothingAndIsRecordedForRelease() {
        Charges charges = charges(evaluation()
                .holdsAllowance(usdc("50"), DEX_ROUTER, NOW.minusSeconds(60))
                .approves(usdc("20"), DEX_ROUTER)
                .approves(usdc("0"), DEX_ROUTER));

        assertThat(charges.total()).isEmpty();
        assertThat(charges.exposureDecreases())
                .containsExactly(new Charges.ExposureDecrease(usdc("50"), DEX_ROUTER, Approval.Kind.ERC20));
    }

    @Test
    void eachSpenderAndEachKindOfAllowanceIsHeldOnItsOwn() {
        Charges charges = charges(evaluation()
                .holdsAllowance(usdc("50"), DEX_ROUTER, NOW.minusSeconds(60))
                .approves(usdc("50"), STRANGER)
                .effect(new Approval(usdc("50"), WALLET, DEX_ROUTER, Approval.Kind.PERMIT2)));

        assertThat(charges.total()).containsExactly(Map.entry(USDC, usdc("100")));
    }

    @Test
    void anUnlimitedAllowanceOnTopOfAPaymentSaturatesInsteadOfFailing() {
        Charges charges = charges(evaluation().pays(usdc("5"), MERCHANT).approves(unlimited(USDC), DEX_ROUTER));

        assertThat(charges.total().get(USDC).units()).isEqualTo(TokenAmount.MAX_UINT256);
    }

    @Test
    void whatReachesAPayeeFurtherDownCountsForThatPayeeButNotTwiceForTheBudget() {
        Charges charges = charges(
                evaluation().pays(usdc("30"), DEX_ROUTER).effect(new Transfer(usdc("30"), DEX_ROUTER, MERCHANT)));

        assertThat(charges.total()).containsExactly(Map.entry(USDC, usdc("30")));
        assertThat(charges.byCounterparty())
                .containsEntry(DEX_ROUTER, Map.of(USDC, usdc("30")))
                .containsEntry(MERCHANT, Map.of(USDC, usdc("30")));
    }

    @Test
    void nativeValueIsChargedLikeAnyAsset() {
        assertThat(charges(evaluation().pays(TokenAmount.parse(Asset.ether(), "0.5"), MERCHANT))
                        .total())
                .containsOnlyKeys(Asset.ether());
    }
}
