package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.SANCTIONED;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SanctionsNotCurrentRuleTest {
    private final Rule rule = new SanctionsNotCurrentRule();

    @Test
    void deniesAPaymentWhenTheListIsPastItsMaximumAge() {
        List<Reason> reasons = rule.check(evaluation()
                .pays(usdc("1"), MERCHANT)
                .screeningNotCurrent(Verdict.DENY, "ofac-sdn is 9 days old, more than its maximum age of 2 days")
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.SANCTIONS_NOT_CURRENT);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message()).contains("not current").contains("ofac-sdn is 9 days old");
        });
    }

    @Test
    void escalatesInsteadWhenTheScreeningAsksForIt() {
        List<Reason> reasons = rule.check(evaluation()
                .pays(usdc("1"), MERCHANT)
                .screeningNotCurrent(Verdict.ESCALATE, "the sanctions oracle could not be asked")
                .build());

        assertThat(reasons).extracting(Reason::verdict).containsExactly(Verdict.ESCALATE);
    }

    @Test
    void holdsAnApprovalToo() {
        List<Reason> reasons = rule.check(evaluation()
                .approves(usdc("5"), MERCHANT)
                .screeningNotCurrent(Verdict.DENY, "stale")
                .build());

        assertThat(reasons).extracting(Reason::rule).containsExactly(RuleId.SANCTIONS_NOT_CURRENT);
    }

    @Test
    void holdsValueMovedBetweenOthersByTheCall() {
        // The wallet triggers a move it does not pay for (e.g. a vault it controls pays someone).
        Address vault = address(0x0A);
        List<Reason> reasons = rule.check(evaluation()
                .effect(new Transfer(usdc("50"), vault, MERCHANT))
                .screeningNotCurrent(Verdict.DENY, "stale")
                .build());

        assertThat(reasons).hasSize(1);
    }

    @Test
    void passesARequestThatMovesNothing() {
        assertThat(rule.check(evaluation()
                        .touches(MERCHANT)
                        .screeningNotCurrent(Verdict.DENY, "stale")
                        .build()))
                .isEmpty();
    }

    @Test
    void passesWhenScreeningIsCurrent() {
        assertThat(rule.check(evaluation().pays(usdc("1"), MERCHANT).build())).isEmpty();
    }

    @Test
    void theEngineNeverAllowsAPaymentBehindAScreeningThatIsNotCurrent() {
        PolicyEngine engine = new PolicyEngine();

        Decision denied = engine.evaluate(evaluation()
                .pays(usdc("1"), MERCHANT)
                .screeningNotCurrent(Verdict.DENY, "stale")
                .build());
        Decision escalated = engine.evaluate(evaluation()
                .pays(usdc("1"), MERCHANT)
                .screeningNotCurrent(Verdict.ESCALATE, "stale")
                .build());

        assertThat(denied).isInstanceOf(Decision.Deny.class);
        assertThat(escalated).isInstanceOf(Decision.Escalate.class);
    }

    @Test
    void aHitStillDeniesWhenStaleScreeningWouldOnlyEscalate() {
        Decision decision = new PolicyEngine()
                .evaluate(evaluation()
                        .pays(usdc("1"), SANCTIONED)
                        .sanctioned(SANCTIONED)
                        .screeningNotCurrent(Verdict.ESCALATE, "stale")
                        .build());

        assertThat(decision).isInstanceOf(Decision.Deny.class);
        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .contains(RuleId.SANCTIONS_HIT, RuleId.SANCTIONS_NOT_CURRENT);
    }

    @Test
    void aScreeningThatIsNotCurrentCannotAllowNorGoWithoutReasons() {
        assertThatThrownBy(() -> new ScreeningResult.NotCurrent(Verdict.ALLOW, List.of("stale")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScreeningResult.NotCurrent(Verdict.DENY, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aScreeningWithoutAnyListMustSayItIsNotCurrent() {
        assertThatThrownBy(() -> new ScreeningResult(Set.of(WALLET), Set.of(), List.of(), Map.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOverriddenAddressIsNotAlsoAHit() {
        assertThatThrownBy(() -> new ScreeningResult(
                        Set.of(MERCHANT),
                        Set.of(MERCHANT),
                        List.of("list"),
                        Map.of(MERCHANT, "false positive"),
                        Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
