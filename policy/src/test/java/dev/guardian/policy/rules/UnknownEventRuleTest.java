package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.rules.ContractAllowlistRuleTest.word;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.UnknownEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownEventRuleTest {
    private static final Address VAULT = address(0x7a);
    private static final String OPERATOR_GRANTED = ContractEntry.eventTopic("OperatorGranted(address,address,bool)");
    private static final String WITHDRAWN = ContractEntry.eventTopic("Withdrawn(address,address,address,uint256)");

    private final Rule rule = new UnknownEventRule();

    private EvaluationBuilder calling(List<String> knownEvents) {
        return evaluation()
                .contract(
                        VAULT,
                        ContractEntry.of(
                                "vault",
                                List.of(new ContractEntry.Function(
                                        FunctionSignature.parse("ping(address)"), List.of())),
                                knownEvents))
                .calls(VAULT, "ping(address)", word(STRANGER));
    }

    @Test
    void escalatesAnEventTheCalledContractEmitsThatGuardianCannotRead() {
        List<Reason> reasons = rule.check(calling(List.of())
                .effect(new UnknownEvent(VAULT, OPERATOR_GRANTED, 1))
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.UNKNOWN_EVENT);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.subject()).contains(VAULT);
            assertThat(reason.message()).contains(OPERATOR_GRANTED);
        });
    }

    @Test
    void passesEventsTheEntryNamesAsKnownAndEventsOfContractsFurtherDown() {
        assertThat(rule.check(calling(List.of("Withdrawn(address,address,address,uint256)"))
                        .effect(new UnknownEvent(VAULT, WITHDRAWN, 1))
                        .effect(new UnknownEvent(address(0x7b), OPERATOR_GRANTED, 2))
                        .build()))
                .isEmpty();
    }

    @Test
    void namesEachUnknownEventOnce() {
        assertThat(rule.check(calling(List.of())
                        .effect(new UnknownEvent(VAULT, OPERATOR_GRANTED, 1))
                        .effect(new UnknownEvent(VAULT, OPERATOR_GRANTED, 1))
                        .effect(new UnknownEvent(VAULT, WITHDRAWN, 1))
                        .build()))
                .hasSize(2);
    }
}
