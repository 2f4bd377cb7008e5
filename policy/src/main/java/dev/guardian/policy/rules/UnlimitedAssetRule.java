package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Transfer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fails closed where the policy is silent: a known asset that leaves the wallet while the policy
 * has neither a per-transaction cap or limit nor any budget of its own for it escalates, because a
 * limit nobody configured is not a licence to spend without one.
 *
 * <p>An allowance counts as value moved ({@link Charges}), so granting one needs a cap or a budget
 * just the same; a revocation moves nothing and needs neither. Unknown tokens are left to
 * {@link UnknownAssetRule}.
 */
final class UnlimitedAssetRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        Policy policy = evaluation.policy();
        Map<Asset, Reason> byAsset = new LinkedHashMap<>();
        for (Transfer transfer : evaluation.effects().outgoingTransfers(evaluation.wallet())) {
            Asset asset = transfer.amount().asset();
            if (!(asset instanceof Asset.UnknownToken)
                    && !hasCap(policy, asset)
                    && policy.budgetsFor(asset).isEmpty()) {
                byAsset.putIfAbsent(
                        asset,
                        Reason.escalate(
                                RuleId.ASSET_UNLIMITED,
                                "the policy sets no per-transaction cap and no budget for " + asset.symbol()
                                        + "; a person must decide until one is configured"));
            }
        }
        for (Approval approval : evaluation.effects().approvalsBy(evaluation.wallet())) {
            Asset asset = approval.amount().asset();
            if (!approval.revokes()
                    && !(asset instanceof Asset.UnknownToken)
                    && !hasCap(policy, asset)
                    && policy.budgetsFor(asset).isEmpty()) {
                byAsset.putIfAbsent(
                        asset,
                        Reason.escalate(
                                RuleId.ASSET_UNLIMITED,
                                "the policy sets no per-transaction cap and no budget for " + asset.symbol()
                                        + ", so an allowance of it cannot be bounded; a person must decide"));
            }
        }
        return List.copyOf(byAsset.values());
    }

    /** A hard per-transaction limit bounds a request as well as an escalation cap does. */
    private static boolean hasCap(Policy policy, Asset asset) {
        return policy.perTransactionCaps().containsKey(asset)
                || policy.perTransactionLimits().containsKey(asset);
    }
}
