package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.signer.SealedKey;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An agent as the request path sees it: identity, whether it is frozen, the team whose budgets it also
 * draws from, the wallet a request pays from, and the addresses of all the agent's wallets. For a Safe
 * wallet ({@code safe} present) {@code walletAddress} is the Safe and {@code sealedKey} is Guardian's co-signing
 * key, an owner of the Safe that never sends anything.
 */
public record Agent(
        AgentId id,
        String name,
        boolean frozen,
        Optional<String> team,
        WalletId walletId,
        Address walletAddress,
        SealedKey sealedKey,
        Set<Address> allWallets,
        Optional<SafeWallet> safe) {
    public Agent {
        allWallets = Set.copyOf(allWallets);
        Objects.requireNonNull(safe, "safe");
    }

    /** An agent paying from a key wallet, whose sealed key is the wallet's own. */
    public Agent(
            AgentId id,
            String name,
            boolean frozen,
            Optional<String> team,
            WalletId walletId,
            Address walletAddress,
            SealedKey sealedKey,
            Set<Address> allWallets) {
        this(id, name, frozen, team, walletId, walletAddress, sealedKey, allWallets, Optional.empty());
    }

    /** What controls the paying wallet's money. */
    public WalletKind walletKind() {
        return safe.isPresent() ? WalletKind.SAFE : WalletKind.KEY;
    }

    /** The agent's wallets other than the one this request pays from. */
    public Set<Address> otherWallets() {
        return allWallets.stream().filter(w -> !w.equals(walletAddress)).collect(Collectors.toUnmodifiableSet());
    }
}
