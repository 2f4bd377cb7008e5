package dev.guardian.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.safe.SafeOnChain;
import java.util.List;

/**
 * The agent's wallet: its address on which chain, what it holds right now (read from the chain), and its kind:
 * {@code KEY} (a key Guardian holds) or {@code SAFE} (a co-signed Safe, with its owners, threshold, guard and
 * nonce read back from the chain in {@code safe}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WalletView(String walletId, String address, long chainId, List<Balance> balances, String kind, SafeView safe) {
    WalletView(String walletId, String address, long chainId, List<Balance> balances) {
        this(walletId, address, chainId, balances, "KEY", null);
    }

    record Balance(String asset, String amount, String units) {
        static Balance of(TokenAmount amount) {
            return new Balance(
                    amount.asset().symbol(),
                    amount.toDecimalString(),
                    amount.units().toString());
        }
    }

    /**
     * A Safe as the chain holds it, and what Guardian created it with: {@code agentOwner} is the agent's own key,
     * {@code guardianOwner} Guardian's co-signing key, {@code treasuryOwners} the recovery owners; the guard's
     * hard USDC cap per window in whole units.
     */
    record SafeView(
            List<String> owners,
            int threshold,
            String guard,
            String fallbackHandler,
            String nonce,
            String agentOwner,
            String guardianOwner,
            List<String> treasuryOwners,
            String usdcCapPerWindow,
            long windowSeconds,
            String creationRequestId) {
        static SafeView of(
                SafeOnChain.State state,
                Address agentOwner,
                Address guardianOwner,
                List<Address> treasury,
                String cap,
                long windowSeconds,
                String creationRequestId) {
            return new SafeView(
                    state.owners().stream().map(Address::toString).toList(),
                    state.threshold(),
                    state.guard().toString(),
                    state.fallbackHandler().toString(),
                    state.nonce().toString(),
                    agentOwner.toString(),
                    guardianOwner.toString(),
                    treasury.stream().map(Address::toString).toList(),
                    cap,
                    windowSeconds,
                    creationRequestId);
        }
    }

    WalletView withSafe(SafeView view) {
        return new WalletView(walletId, address, chainId, balances, "SAFE", view);
    }
}
