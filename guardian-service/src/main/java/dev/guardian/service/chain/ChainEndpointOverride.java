package dev.guardian.service.chain;

/**
 * Supplies the chain endpoint in place of {@code guardian.chain.rpc-url} and
 * {@code guardian.chain.usdc.address}: implemented by the development mode, whose local Anvil and test
 * USDC exist only once it has started them. Absent everywhere else.
 */
public interface ChainEndpointOverride {
    ChainEndpoint endpoint();
}
