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

class FrozenAgentRuleTest {
    private final Rule rule = new FrozenAgentRule();

    @Test
    void deniesEveryRequestOfAFrozenAgent() {
        List<Reason> reasons =
                rule.check(evaluation().frozen().pays(usdc("1"), MERCHANT).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.AGENT_FROZEN);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message()).contains("research-bot").contains("frozen");
        });
    }

    @Test
    void deniesAFrozenAgentEvenWhenNothingWouldMove() {
        assertThat(rule.check(evaluation().frozen().build())).hasSize(1);
    }

    @Test
    void passesAnAgentThatIsNotFrozen() {
        assertThat(rule.check(evaluation().pays(usdc("1"), MERCHANT).build())).isEmpty();
    }
}
