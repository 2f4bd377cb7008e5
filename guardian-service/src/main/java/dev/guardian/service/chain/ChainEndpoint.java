package dev.guardian.service.chain;

import dev.guardian.policy.Address;
import java.net.URI;

/**
 * Where the chain is and which contract is USDC on it: from configuration, or from the local Anvil
 * that the development mode starts.
 */
public record ChainEndpoint(URI rpcUrl, Address usdcContract) {}
