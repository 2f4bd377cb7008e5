package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.SANCTIONED;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {
    private final PolicyEngine engine = new PolicyEngine();

    @Test
    void allowsAPaymentWithinEveryLimitToAKnownParty() {
        assertThat(engine.evaluate(evaluation().pays(usdc("30"), MERCHANT).build()))
                .isInstanceOf(Decision.Allow.class);
    }

    @Test
    void escalatesWhenARuleHoldsAndNoneStops() {
        Decision decision =
                engine.evaluate(evaluation().pays(usdc("30"), STRANGER).build());

        assertThat(decision).isInstanceOf(Decision.Escalate.class);
        assertThat(decision.reasons()).extracting(Reason::rule).containsExactly(RuleId.COUNTERPARTY_NOT_ALLOWLISTED);
    }

    @Test
    void denialBeatsEscalationAndKeepsItsReasons() {
        Decision decision = engine.evaluate(evaluation()
                .spent(usdc("480"), Duration.ofHours(1))
                .pays(usdc("130"), STRANGER)
                .build());

        assertThat(decision).isInstanceOf(Decision.Deny.class);
        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .containsExactly(RuleId.PER_TRANSACTION_CAP, RuleId.WINDOW_BUDGET, RuleId.COUNTERPARTY_NOT_ALLOWLISTED);
    }

    @Test
    void listsEverythingThatIsWrongAtOnceInTheOrderOfTheRules() {
        Decision decision = engine.evaluate(evaluation()
                .frozen()
                .noLimits()
                .pays(usdc("10"), SANCTIONED)
                .approves(unlimited(USDC), DEX_ROUTER)
                .sanctioned(SANCTIONED)
                .build());

        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .containsExactly(
                        RuleId.AGENT_FROZEN,
                        RuleId.SANCTIONS_HIT,
                        RuleId.ASSET_UNLIMITED,
                        RuleId.COUNTERPARTY_NOT_ALLOWLISTED,
                        RuleId.COUNTERPARTY_NOT_ALLOWLISTED,
                        RuleId.ALLOWANCE_UNLIMITED);
    }

    @Test
    void theKillSwitchDeniesARequestEveryOtherRuleWouldAllow() {
        Decision decision = engine.evaluate(
                evaluation().allAgentsFrozen().pays(usdc("30"), MERCHANT).build());

        assertThat(decision).isInstanceOf(Decision.Deny.class);
        assertThat(decision.reasons()).extracting(Reason::rule).containsExactly(RuleId.ALL_AGENTS_FROZEN);
    }

    @Test
    void theHardLimitDeniesWhatTheCapWouldOnlyEscalate() {
        Decision decision = engine.evaluate(evaluation()
                .noBudgets()
                .limit(usdc("120"))
                .pays(usdc("130"), MERCHANT)
                .build());

        assertThat(decision).isInstanceOf(Decision.Deny.class);
        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .containsExactly(RuleId.PER_TRANSACTION_LIMIT, RuleId.PER_TRANSACTION_CAP);
    }

    @Test
    void aPaymentWithinItsOwnBudgetIsDeniedByItsTeamsAndCounterpartysLimits() {
        Decision decision = engine.evaluate(evaluation()
                .team("treasury-ops", new WindowBudget(usdc("1000"), Duration.ofHours(24)))
                .teamSpent(usdc("990"), Duration.ofHours(1))
                .allowlisted(
                        MERCHANT,
                        new AllowlistEntry(
                                "coffee shop",
                                Optional.empty(),
                                List.of(new WindowBudget(usdc("20"), Duration.ofHours(24)))))
                .countLimit(1, new BudgetPeriod.Rolling(Duration.ofHours(1)))
                .transactionAt(EvaluationBuilder.NOW.minus(Duration.ofMinutes(1)))
                .pays(usdc("30"), MERCHANT)
                .build());

        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .containsExactly(RuleId.TEAM_BUDGET, RuleId.COUNTERPARTY_BUDGET, RuleId.TRANSACTION_COUNT);
    }

    @Test
    void aSanctionedMerchantIsDeniedThoughAllowlisted() {
        assertThat(engine.evaluate(evaluation()
                        .pays(usdc("1"), MERCHANT)
                        .sanctioned(MERCHANT)
                        .build()))
                .isInstanceOf(Decision.Deny.class);
    }

    @Test
    void standardRulesHoldEveryRuleOfThePackageExactlyOnce() {
        Set<Class<?>> rules = new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.guardian.policy.rules")
                        .stream()
                        .filter(c -> c.isAssignableTo(Rule.class) && !c.isInterface())
                        .map(JavaClass::reflect)
                        .collect(Collectors.toSet());

        assertThat(rules).hasSizeGreaterThan(10);
        assertThat(PolicyEngine.STANDARD_RULES)
                .extracting(Object::getClass)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(rules);
    }

    @Test
    void runsTheRulesItIsGiven() {
        Rule alwaysEscalates = evaluation -> List.of(Reason.escalate(RuleId.ASSET_UNKNOWN, "test rule"));

        assertThat(new PolicyEngine(List.of(alwaysEscalates))
                        .evaluate(evaluation().build()))
                .isInstanceOf(Decision.Escalate.class);
        assertThat(new PolicyEngine(List.of()).evaluate(evaluation().frozen().build()))
                .isInstanceOf(Decision.Allow.class);
    }
}
