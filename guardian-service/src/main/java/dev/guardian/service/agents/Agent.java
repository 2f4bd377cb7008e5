package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.signer.SealedKey;
import java.util.Optional;

/**
 * An agent as the request path sees it: identity, whether it is frozen, the team whose budgets it also
 * draws from, and its wallet.
 */
public record Agent(AgentId id, String name, boolean frozen, Optional<String> team, WalletId walletId, Address walletAddress,
        SealedKey sealedKey) {}
