package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies every rule of {@link #STANDARD_RULES} to an evaluation and combines their reasons: deny
 * beats escalate beats allow. Every rule runs, so a refusal lists all that is wrong at once.
 */
public final class PolicyEngine {

    /** The one visible list of rules a request must pass. */
    public static final List<Rule> STANDARD_RULES = List.of(
            new KillSwitchRule(),
            new FrozenAgentRule(),
            new SimulationRevertedRule(),
            new SimulationUndecodableRule(),
            new OtherWalletMovedRule(),
            new SanctionsRule(),
            new SanctionsNotCurrentRule(),
            new UnknownAssetRule(),
            new UnlimitedAssetRule(),
            new PerTransactionLimitRule(),
            new PerTransactionCapRule(),
            new WindowBudgetRule(),
            new TeamBudgetRule(),
            new CounterpartyBudgetRule(),
            new TransactionCountRule(),
            new CounterpartyAllowlistRule(),
            new OnwardRecipientRule(),
            new ContractAllowlistRule(),
            new UnknownEventRule(),
            new UnlimitedAllowanceRule(),
            new FeeCeilingRule(),
            new FeeBudgetRule(),
            new RepeatedRevertsRule(),
            new SignatureRule(),
            new SafeTransactionRule());

    private final List<Rule> rules;

    public PolicyEngine() {
        this(STANDARD_RULES);
    }

    public PolicyEngine(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public Decision evaluate(Evaluation evaluation) {
        List<Reason> reasons = new ArrayList<>();
        for (Rule rule : rules) {
            reasons.addAll(rule.check(evaluation));
        }
        return Decision.of(reasons);
    }
}
