package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.chain.ChainAdapter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reads a wallet's balances from the chain: the native asset and every known token. */
@Component
class WalletBalances {
    private final AssetRegistry assets;
    private final ChainAdapter chain;

    WalletBalances(AssetRegistry assets, ChainAdapter chain) {
        this.assets = assets;
        this.chain = chain;
    }

    WalletView view(String walletId, Address address) {
        List<Asset> held = new ArrayList<>();
        held.add(assets.nativeAsset());
        held.addAll(assets.tokens());
        List<WalletView.Balance> balances = held.stream()
                .map(asset -> WalletView.Balance.of(chain.balance(asset, address)))
                .toList();
        return new WalletView(walletId, address.toString(), chain.chainId().value(), balances);
    }
}
