package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What gas may cost: a ceiling on one transaction's gas limit, a ceiling on its most expensive fee
 * ({@code gasLimit x maxFeePerGas + l1Fee}), budgets of fees over periods (in the native coin), and how
 * many of the agent's transactions may revert on chain within a period before the next one escalates.
 * Fees count whether the transaction succeeds or reverts.
 */
public record FeeLimits(
        Optional<Long> maxGasLimit,
        Optional<TokenAmount> maxFeePerTransaction,
        List<WindowBudget> budgets,
        Optional<TransactionCountLimit> reverts) {
    public FeeLimits {
        Objects.requireNonNull(maxGasLimit, "maxGasLimit");
        Objects.requireNonNull(maxFeePerTransaction, "maxFeePerTransaction");
        Objects.requireNonNull(reverts, "reverts");
        budgets = List.copyOf(budgets);
        maxGasLimit.ifPresent(limit -> {
            if (limit <= 0) {
                throw new IllegalArgumentException("a gas limit ceiling is positive");
            }
        });
        maxFeePerTransaction.ifPresent(fee -> requireNative(fee, "the per-transaction fee ceiling"));
        budgets.forEach(budget -> requireNative(budget.limit(), "a fee budget"));
    }

    private static void requireNative(TokenAmount amount, String what) {
        if (!(amount.asset() instanceof Asset.Native)) {
            throw new IllegalArgumentException(
                    what + " is in the native coin, not " + amount.asset().symbol());
        }
    }

    /** No fee limits at all. */
    public static FeeLimits none() {
        return new FeeLimits(Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }
}
