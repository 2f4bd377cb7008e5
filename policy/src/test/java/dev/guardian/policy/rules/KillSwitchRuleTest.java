package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class KillSwitchRuleTest {
    private final Rule rule = new KillSwitchRule();

    @Test
    void deniesEveryRequestWhileTheKillSwitchIsEngaged() {
        List<Reason> reasons = rule.check(
                evaluation().allAgentsFrozen().pays(usdc("1"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.ALL_AGENTS_FROZEN);
            assertThat(reason.rule().id()).isEqualTo("guardian.all-agents-frozen");
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message()).contains("kill switch");
        });
    }

    @Test
    void deniesEvenARequestThatMovesNothing() {
        assertThat(rule.check(evaluation().allAgentsFrozen().build())).hasSize(1);
    }

    @Test
    void passesWhileTheKillSwitchIsOff() {
        assertThat(rule.check(evaluation().frozen().pays(usdc("1"), MERCHANT).build()))
                .isEmpty();
    }
}
