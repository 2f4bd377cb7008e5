package dev.guardian.service.api;

import dev.guardian.policy.TokenAmount;
import java.util.List;

/** The agent's wallet: its address on which chain, and what it holds right now (read from the chain). */
record WalletView(String walletId, String address, long chainId, List<Balance> balances) {
    record Balance(String asset, String amount, String units) {
        static Balance of(TokenAmount amount) {
            return new Balance(
                    amount.asset().symbol(),
                    amount.toDecimalString(),
                    amount.units().toString());
        }
    }
}
