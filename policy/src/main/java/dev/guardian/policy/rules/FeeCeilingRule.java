package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.GasFigures;
import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Denies a transaction whose gas limit, or whose most expensive fee ({@code gasLimit x maxFeePerGas +
 * l1Fee}), is above the policy's per-transaction ceiling: gas is money, and a call built to burn it is a
 * way to spend without moving a token.
 */
final class FeeCeilingRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        if (evaluation.fee().isEmpty()) {
            return List.of();
        }
        TransactionFee fee = evaluation.fee().get();
        FeeLimits limits = evaluation.policy().fees();
        List<Reason> reasons = new ArrayList<>();
        limits.maxGasLimit()
                .filter(max -> fee.gasLimit() > max)
                .ifPresent(max -> reasons.add(Reason.deny(
                                RuleId.GAS_LIMIT,
                                "the transaction's gas limit " + fee.gasLimit() + " is above the ceiling of " + max)
                        .with(new GasFigures(max, fee.gasLimit()))));
        TokenAmount cost = fee.maxCost(Asset.ether());
        limits.maxFeePerTransaction()
                .filter(cost::exceeds)
                .ifPresent(max -> reasons.add(Reason.deny(
                                RuleId.FEE_PER_TRANSACTION,
                                "the transaction may cost up to " + cost
                                        + " in fees, above the per-transaction ceiling of " + max)
                        .with(new Numbers(
                                max, cost, TokenAmount.zero(max.asset()), max, Optional.empty(), Optional.empty()))));
        return reasons;
    }
}
