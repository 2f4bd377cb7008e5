package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.SimulationOutcome;
import dev.guardian.policy.effects.Transfer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A simulation that does not succeed is judged by rules like everything else, never by hand around the engine. */
class SimulationOutcomeRulesTest {
    private final PolicyEngine engine = new PolicyEngine();

    @Test
    void deniesARevertingSimulationQuotingTheRevert() {
        List<Reason> reasons = new SimulationRevertedRule()
                .check(evaluation().reverts("ERC20: insufficient balance").build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.SIMULATION_REVERTED);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message()).isEqualTo("the transaction would revert: ERC20: insufficient balance");
        });
    }

    @Test
    void deniesASimulationWhoseEffectsCannotBeJudged() {
        List<Reason> reasons = new SimulationUndecodableRule()
                .check(evaluation().undecodable("a log Guardian cannot read").build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.SIMULATION_UNDECODABLE);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message()).isEqualTo("a log Guardian cannot read");
        });
    }

    @Test
    void bothPassASuccessfulSimulation() {
        Evaluation paying = evaluation().pays(usdc("1"), MERCHANT).build();

        assertThat(new SimulationRevertedRule().check(paying)).isEmpty();
        assertThat(new SimulationUndecodableRule().check(paying)).isEmpty();
    }

    @Test
    void effectsThatCannotBeTotalledAreUndecodableNotAnError() {
        SimulatedEffects overflowing = new SimulatedEffects(
                List.of(
                        new Transfer(new TokenAmount(USDC, TokenAmount.MAX_UINT256), WALLET, MERCHANT),
                        new Transfer(usdc("1"), WALLET, MERCHANT)),
                Set.of());

        assertThat(SimulationOutcome.of(overflowing)).isInstanceOfSatisfying(SimulationOutcome.Undecodable.class, u -> {
            assertThat(u.reason()).contains("cannot be totalled");
            assertThat(u.effects().effects()).isEmpty();
        });
        assertThatThrownBy(() -> new SimulationOutcome.Succeeded(overflowing)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aFrozenAgentWhoseCallWouldRevertHearsBothReasons() {
        Decision decision =
                engine.evaluate(evaluation().frozen().reverts("out of gas").build());

        assertThat(decision).isInstanceOf(Decision.Deny.class);
        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .containsExactly(RuleId.AGENT_FROZEN, RuleId.SIMULATION_REVERTED);
    }

    @Test
    void theKillSwitchStopsARevertingRequestToo() {
        Decision decision = engine.evaluate(
                evaluation().allAgentsFrozen().reverts("out of gas").build());

        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .containsExactly(RuleId.ALL_AGENTS_FROZEN, RuleId.SIMULATION_REVERTED);
    }

    @Test
    void aRevertingRequestIsNotScreenedAndHasNoOtherReason() {
        Evaluation reverting = evaluation().reverts("nope").noLimits().build();

        assertThat(reverting.screening()).isEmpty();
        assertThat(engine.evaluate(reverting).reasons())
                .extracting(Reason::rule)
                .containsExactly(RuleId.SIMULATION_REVERTED);
    }
}
