package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.signer.SealedKey;

/** An agent as the request path sees it: identity, whether it is frozen, and its one wallet. */
public record Agent(AgentId id, String name, boolean frozen, WalletId walletId, Address walletAddress, SealedKey sealedKey) {}
