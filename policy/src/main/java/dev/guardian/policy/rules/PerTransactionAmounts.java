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
 * What the per-transaction cap (escalates) and the per-transaction limit (denies) both measure, per
 * asset: the value one request moves out of the wallet (every movement of the simulation, a payment
 * hidden in a contract call included), each allowance it grants, and the two together (what it charges,
 * {@link Charges}), so that paying 60 and approving 60 under a bound of 100 is above it like paying 120.
 * One reason per thing above the bound: the value moved, an allowance (about its spender), or, when
 * neither alone is above it, their sum.
 */
final class PerTransactionAmounts {
    private PerTransactionAmounts() {}

    /**
     * @param bounds the most one request may move or approve, per asset
     * @param named  how messages name the bound, e.g. {@code per-transaction cap}
     * @param reason the reason, of the caller's rule and verdict, for a message
     */
    static List<Reason> above(
            Evaluation evaluation, Map<Asset, TokenAmount> bounds, String named, Function<String, Reason> reason) {
        List<Reason> reasons = new ArrayList<>();
        Map<Asset, TokenAmount> moved = evaluation.effects().outgoingTotals(evaluation.wallet());
        evaluation.charged().forEach((asset, total) -> {
            TokenAmount bound = bounds.get(asset);
            if (bound == null || !total.exceeds(bound)) {
                return;
            }
            int before = reasons.size();
            TokenAmount sent = moved.getOrDefault(asset, TokenAmount.zero(asset));
            if (sent.exceeds(bound)) {
                reasons.add(reason.apply("this request sends " + sent + ", above the " + named + " of " + bound)
                        .with(figures(bound, sent)));
            }
            for (Approval approval : evaluation.effects().approvalsBy(evaluation.wallet())) {
                if (approval.amount().asset().equals(asset) && approval.amount().exceeds(bound)) {
                    reasons.add(reason.apply("this request approves " + approval.spender() + " to spend "
                                    + Texts.approvalAmount(approval.amount()) + ", above the " + named + " of " + bound)
                            .with(figures(bound, approval.amount()))
                            .about(approval.spender()));
                }
            }
            if (reasons.size() == before) {
                reasons.add(reason.apply("this request moves and newly allows " + total + " in all (an allowance counts"
                                + " as if it moved), above the " + named + " of " + bound)
                        .with(figures(bound, total)));
            }
        });
        return reasons;
    }

    private static Numbers figures(TokenAmount bound, TokenAmount attempted) {
        return new Numbers(
                bound, attempted, TokenAmount.zero(bound.asset()), bound, Optional.empty(), Optional.empty());
    }
}
