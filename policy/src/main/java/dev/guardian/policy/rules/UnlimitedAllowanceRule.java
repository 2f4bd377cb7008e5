package dev.guardian.policy.rules;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Approval;
import java.util.List;

/**
 * An unlimited allowance never passes without a person: an allowance of 2^255 units or more, or an
 * operator of all the wallet's tokens of a contract, hands the spender everything the wallet holds now
 * and will hold. (Held against a budget, such an allowance exceeds it: it is then denied outright.)
 */
final class UnlimitedAllowanceRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        return evaluation.effects().approvalsBy(evaluation.wallet()).stream()
                .filter(Approval::unlimited)
                .map(a -> Reason.escalate(
                                RuleId.ALLOWANCE_UNLIMITED,
                                "this request grants " + a.spender() + " an unlimited allowance of "
                                        + a.amount().asset().symbol()
                                        + (a.kind() == Approval.Kind.OPERATOR
                                                ? " (an operator of all its tokens)"
                                                : ""))
                        .about(a.spender()))
                .distinct()
                .toList();
    }
}
