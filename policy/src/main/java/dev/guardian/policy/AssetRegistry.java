package dev.guardian.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assets one deployment knows on its chain: the native coin and the ERC-20 tokens it can value.
 * A token contract not registered here resolves to {@link Asset.UnknownToken}, never to nothing.
 */
public final class AssetRegistry {
    private final Asset.Native nativeAsset;
    private final Map<Address, Asset.Erc20> tokensByContract = new HashMap<>();
    private final Map<String, Asset> bySymbol = new HashMap<>();

    public AssetRegistry(Asset.Native nativeAsset, List<Asset.Erc20> tokens) {
        this.nativeAsset = nativeAsset;
        bySymbol.put(nativeAsset.symbol(), nativeAsset);
        for (Asset.Erc20 token : tokens) {
            if (tokensByContract.put(token.contract(), token) != null) {
                throw new IllegalArgumentException("token contract " + token.contract() + " is registered twice");
            }
            if (bySymbol.put(token.symbol(), token) != null) {
                throw new IllegalArgumentException("asset symbol " + token.symbol() + " is registered twice");
            }
        }
    }

    public Asset.Native nativeAsset() {
        return nativeAsset;
    }

    /** The registered token at {@code contract}, or an {@link Asset.UnknownToken} for it. */
    public Asset token(Address contract) {
        Asset.Erc20 known = tokensByContract.get(contract);
        return known != null ? known : new Asset.UnknownToken(contract);
    }

    public Optional<Asset> bySymbol(String symbol) {
        return Optional.ofNullable(bySymbol.get(symbol));
    }

    public List<Asset.Erc20> tokens() {
        return List.copyOf(tokensByContract.values());
    }
}
