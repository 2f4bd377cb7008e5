package dev.guardian.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecisionTest {

    /** Each row: the verdicts of the reasons that fired (E escalate, D deny), and the decision. */
    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource({
        "'',    ALLOW",
        "E,     ESCALATE",
        "E E,   ESCALATE",
        "D,     DENY",
        "E D,   DENY",
        "D E,   DENY",
        "E D E, DENY",
        "D D,   DENY"
    })
    void denyBeatsEscalateBeatsAllow(String fired, Verdict expected) {
        List<Reason> reasons = reasons(fired);

        Decision decision = Decision.of(reasons);

        assertThat(decision.verdict()).isEqualTo(expected);
        assertThat(decision.reasons()).isEqualTo(reasons);
    }

    @Test
    void aDenialKeepsTheEscalationsThatFiredAlongside() {
        Reason notAllowlisted = Reason.escalate(RuleId.COUNTERPARTY_NOT_ALLOWLISTED, "stranger");
        Reason frozen = Reason.deny(RuleId.AGENT_FROZEN, "frozen");

        assertThat(Decision.of(List.of(notAllowlisted, frozen)))
                .isEqualTo(new Decision.Deny(List.of(notAllowlisted, frozen)));
    }

    @Test
    void refusesDecisionsThatContradictTheirReasons() {
        Reason deny = Reason.deny(RuleId.AGENT_FROZEN, "frozen");
        Reason escalate = Reason.escalate(RuleId.ASSET_UNKNOWN, "unknown");

        assertThatThrownBy(() -> new Decision.Escalate(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision.Escalate(List.of(escalate, deny)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision.Deny(List.of(escalate))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReasonNeverAllowsAndAlwaysSaysWhy() {
        assertThatThrownBy(() ->
                        new Reason(RuleId.AGENT_FROZEN, Verdict.ALLOW, "fine", Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reason.deny(RuleId.AGENT_FROZEN, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ruleIdsReadBackFromTheirStableNames() {
        for (RuleId rule : RuleId.values()) {
            assertThat(RuleId.fromId(rule.id())).isEqualTo(rule);
        }
        assertThat(RuleId.WINDOW_BUDGET).hasToString("budget.window");
        assertThatThrownBy(() -> RuleId.fromId("budget.daily")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Reason> reasons(String fired) {
        return Arrays.stream(fired.split(" "))
                .filter(code -> !code.isEmpty())
                .map(code -> code.equals("D")
                        ? Reason.deny(RuleId.WINDOW_BUDGET, "over budget")
                        : Reason.escalate(RuleId.PER_TRANSACTION_CAP, "over cap"))
                .toList();
    }
}
