package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.signer.SealedKey;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An agent as the request path sees it: identity, whether it is frozen, the team whose budgets it also
 * draws from, the wallet a request pays from, and the addresses of all the agent's wallets.
 */
public record Agent(
        AgentId id,
        String name,
        boolean frozen,
        Optional<String> team,
        WalletId walletId,
        Address walletAddress,
        SealedKey sealedKey,
        Set<Address> allWallets) {
    public Agent {
        allWallets = Set.copyOf(allWallets);
    }

    /** The agent's wallets other than the one this request pays from. */
    public Set<Address> otherWallets() {
        return allWallets.stream().filter(w -> !w.equals(walletAddress)).collect(Collectors.toUnmodifiableSet());
    }
}
