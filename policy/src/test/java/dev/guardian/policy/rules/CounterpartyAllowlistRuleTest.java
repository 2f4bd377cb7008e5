package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.TestData;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default policy allowlists the merchant only. */
class CounterpartyAllowlistRuleTest {
    private final Rule rule = new CounterpartyAllowlistRule();

    @Test
    void escalatesAPaymentToSomeoneNotOnTheAllowlist() {
        List<Reason> reasons = rule.check(evaluation().pays(usdc("1"), STRANGER).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.COUNTERPARTY_NOT_ALLOWLISTED);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.subject()).contains(STRANGER);
            assertThat(reason.message()).contains(STRANGER.toString());
        });
    }

    @Test
    void escalatesAnAllowanceForASpenderNotOnTheAllowlist() {
        List<Reason> reasons = rule.check(evaluation().approves(unlimited(TestData.USDC), DEX_ROUTER).build());

        assertThat(reasons).extracting(Reason::subject).containsExactly(Optional.of(DEX_ROUTER));
    }

    @Test
    void findsAStrangerPaidInsideACallToAnAllowlistedContract() {
        List<Reason> reasons = rule.check(evaluation()
                .allowlisted(DEX_ROUTER)
                .pays(usdc("50"), DEX_ROUTER)
                .pays(usdc("5"), STRANGER)
                .pays(usdc("1"), MERCHANT)
                .build());

        assertThat(reasons).extracting(Reason::subject).containsExactly(Optional.of(STRANGER));
    }

    @Test
    void namesEachStrangerOnce() {
        List<Reason> reasons = rule.check(evaluation()
                .pays(usdc("1"), STRANGER)
                .pays(usdc("2"), STRANGER)
                .approves(usdc("3"), STRANGER)
                .build());

        assertThat(reasons).hasSize(1);
    }

    @Test
    void passesPaymentsToAllowlistedParties() {
        assertThat(rule.check(evaluation().pays(usdc("1"), MERCHANT).approves(usdc("1"), MERCHANT).build())).isEmpty();
    }

    @Test
    void ignoresPartiesThatOnlySendToTheWalletOrMoveOthersMoney() {
        assertThat(rule.check(evaluation()
                        .effect(new Transfer(usdc("7"), STRANGER, WALLET))
                        .effect(new Transfer(usdc("7"), DEX_ROUTER, address(0x42)))
                        .build()))
                .isEmpty();
    }
}
