package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;

/** Puts money in an agent's wallet the way a treasury would, for tests and load runs that then make the agent pay. */
public final class WalletFunding {
    private WalletFunding() {}

    /**
     * Asks Guardian for the agent's wallet address (Guardian generated its key), mints {@code usdc} of the
     * test token to it and sets its ETH balance to {@code ether} for gas; returns the address.
     */
    public static Address fundWallet(DevChain chain, AgentClient agent, TokenAmount usdc, TokenAmount ether) {
        if (!(usdc.asset() instanceof Asset.Erc20 token)) {
            throw new IllegalArgumentException("USDC is an ERC-20 token, not " + usdc.asset());
        }
        AgentClient.Response wallet = agent.wallet();
        if (wallet.status() != 200) {
            throw new IllegalStateException("GET /v1/wallet answered " + wallet.status() + ": "
                    + wallet.raw().body());
        }
        Address address = Address.parse(wallet.text("address"));
        chain.mintUsdc(token.contract(), address, usdc);
        chain.setEthBalance(address, ether);
        return address;
    }
}
