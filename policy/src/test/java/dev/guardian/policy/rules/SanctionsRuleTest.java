package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.SANCTIONED;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SanctionsRuleTest {
    private final Rule rule = new SanctionsRule();

    @Test
    void deniesAPaymentToASanctionedAddressNamingTheListVersion() {
        List<Reason> reasons = rule.check(
                evaluation().pays(usdc("1"), SANCTIONED).sanctioned(SANCTIONED).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.SANCTIONS_HIT);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.subject()).contains(SANCTIONED);
            assertThat(reason.message()).contains(SANCTIONED.toString()).contains("OFAC SDN 2026-11-25");
        });
    }

    @Test
    void givesOneDenialForEachSanctionedAddressInTheirOrder() {
        Address deepInTheCallTree = address(0x06);

        List<Reason> reasons = rule.check(evaluation()
                .pays(usdc("1"), MERCHANT)
                .touches(deepInTheCallTree)
                .sanctioned(deepInTheCallTree, SANCTIONED)
                .build());

        assertThat(reasons)
                .extracting(Reason::subject)
                .containsExactly(Optional.of(SANCTIONED), Optional.of(deepInTheCallTree));
        assertThat(reasons).extracting(Reason::verdict).containsOnly(Verdict.DENY);
    }

    @Test
    void neverEscalatesAHitEvenOnAnAllowlistedParty() {
        List<Reason> reasons = rule.check(
                evaluation().pays(usdc("1"), MERCHANT).sanctioned(MERCHANT).build());

        assertThat(reasons).extracting(Reason::verdict).containsExactly(Verdict.DENY);
    }

    @Test
    void passesWhenScreeningFindsNothing() {
        assertThat(rule.check(evaluation().pays(usdc("1"), STRANGER).build())).isEmpty();
    }
}
