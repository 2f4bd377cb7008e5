package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One agent's policy as the rules read it.
 *
 * @param version         names the policy version that judged a request (recorded with the decision)
 * @param perTransactionCaps for each asset, the most one request may move out before it escalates
 * @param budgets         spending limits over rolling windows; crossing one denies
 * @param allowlist       known counterparties with a label each; any other counterparty escalates
 * @param approvals       how many people must approve an escalated request, and by when
 */
public record Policy(
        String version,
        Map<Asset, TokenAmount> perTransactionCaps,
        List<WindowBudget> budgets,
        Map<Address, String> allowlist,
        Approvals approvals) {

    /** A policy whose escalations need one approval within the default deadline. */
    public Policy(String version, Map<Asset, TokenAmount> perTransactionCaps, List<WindowBudget> budgets,
            Map<Address, String> allowlist) {
        this(version, perTransactionCaps, budgets, allowlist, Approvals.defaults());
    }

    public Policy {
        Objects.requireNonNull(approvals, "approvals");
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("a policy has a version");
        }
        perTransactionCaps = Map.copyOf(perTransactionCaps);
        budgets = List.copyOf(budgets);
        allowlist = Map.copyOf(allowlist);
        perTransactionCaps.forEach((asset, cap) -> {
            if (!cap.asset().equals(asset)) {
                throw new IllegalArgumentException("the cap for " + asset + " is in " + cap.asset());
            }
        });
        Objects.requireNonNull(allowlist);
    }

    public List<WindowBudget> budgetsFor(Asset asset) {
        return budgets.stream().filter(b -> b.limit().asset().equals(asset)).toList();
    }
}
