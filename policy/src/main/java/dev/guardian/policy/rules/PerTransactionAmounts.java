package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.effects.Approval;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the per-transaction cap (escalates) and the per-transaction limit (denies) both measure: the
 * total of each asset one request moves out of the wallet, every movement of the simulation counted
 * (a payment hidden in a contract call included), and each approval on its own, since an unlimited
 * {@code approve} is the classic way to drain a wallet later.
 */
final class PerTransactionAmounts {
    private PerTransactionAmounts() {}

    /**
     * One reason per asset whose outgoing total exceeds its bound and per approval above it.
     *
     * @param bounds   the most one request may move or approve, per asset
     * @param named    how messages name the bound, e.g. {@code per-transaction cap}
     * @param reason   the reason, of the caller's rule and verdict, for a message
     */
    static List<Reason> above(
            Evaluation evaluation, Map<Asset, TokenAmount> bounds, String named, Function<String, Reason> reason) {
        List<Reason> reasons = new ArrayList<>();
        evaluation.effects().outgoingTotals(evaluation.wallet()).forEach((asset, total) -> {
            TokenAmount bound = bounds.get(asset);
            if (bound != null && total.exceeds(bound)) {
                reasons.add(reason.apply("this request sends " + total + ", above the " + named + " of " + bound)
                        .with(figures(bound, total)));
            }
        });
        for (Approval approval : evaluation.effects().approvalsBy(evaluation.wallet())) {
            TokenAmount bound = bounds.get(approval.amount().asset());
            if (bound != null && approval.amount().exceeds(bound)) {
                reasons.add(reason.apply("this request approves " + approval.spender() + " to spend "
                                + Texts.approvalAmount(approval.amount()) + ", above the " + named + " of " + bound)
                        .with(figures(bound, approval.amount()))
                        .about(approval.spender()));
            }
        }
        return reasons;
    }

    private static Numbers figures(TokenAmount bound, TokenAmount attempted) {
        return new Numbers(
                bound, attempted, TokenAmount.zero(bound.asset()), bound, Optional.empty(), Optional.empty());
    }
}
