package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Escalates when the wallet sends, or grants an allowance of, a token that is not in the asset
 * registry. Guardian cannot value such a token, so no cap or budget can judge it: a person decides.
 * One reason per token contract.
 */
final class UnknownAssetRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        SimulatedEffects effects = evaluation.effects();
        Map<Address, Reason> byContract = new LinkedHashMap<>();
        for (Transfer transfer : effects.outgoingTransfers(evaluation.wallet())) {
            if (transfer.amount().asset() instanceof Asset.UnknownToken token) {
                byContract.putIfAbsent(token.contract(), unknown(token, "sends"));
            }
        }
        for (Approval approval : effects.approvalsBy(evaluation.wallet())) {
            if (approval.amount().asset() instanceof Asset.UnknownToken token) {
                byContract.putIfAbsent(token.contract(), unknown(token, "grants an allowance of"));
            }
        }
        return List.copyOf(byContract.values());
    }

    private static Reason unknown(Asset.UnknownToken token, String what) {
        return Reason.escalate(
                        RuleId.ASSET_UNKNOWN,
                        "this request " + what + " token " + token.contract()
                                + ", which Guardian does not know and cannot value; a person must decide")
                .about(token.contract());
    }
}
