package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Denies a request that would take value out of, or grant an allowance over, another of the agent's
 * wallets than the one it pays from. The other rules judge what leaves the paying wallet; a pull from
 * a sister wallet (an allowance it gave, then {@code transferFrom}) would leave no trace there, so each
 * wallet's money leaves only through its own requests. One reason per wallet moved.
 */
final class OtherWalletMovedRule implements Rule {
    @Override
    public List<Reason> check(Evaluation evaluation) {
        Set<Address> others = evaluation.otherWallets();
        if (others.isEmpty()) {
            return List.of();
        }
        Set<Address> moved = new LinkedHashSet<>();
        for (Effect effect : evaluation.effects().effects()) {
            switch (effect) {
                case Transfer t when others.contains(t.from()) -> moved.add(t.from());
                case Approval a when others.contains(a.owner()) -> moved.add(a.owner());
                default -> {}
            }
        }
        return moved.stream()
                .map(other -> Reason.deny(
                                RuleId.OTHER_WALLET_MOVED,
                                "this request would move value out of " + other
                                        + ", another of this agent's wallets; a request moves money only out of"
                                        + " the wallet it pays from (" + evaluation.wallet() + ")")
                        .about(other))
                .toList();
    }
}
