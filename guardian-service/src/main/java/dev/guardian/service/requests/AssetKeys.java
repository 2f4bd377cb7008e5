package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;

/** How an asset is named in the reservations table: its symbol, or {@code token:0x...} when unknown. */
final class AssetKeys {
    private static final String UNKNOWN_PREFIX = "token:";

    private AssetKeys() {}

    static String key(Asset asset) {
        return switch (asset) {
            case Asset.UnknownToken unknown ->
                UNKNOWN_PREFIX + unknown.contract().toLowerHex();
            case Asset.Native n -> n.symbol();
            case Asset.Erc20 e -> e.symbol();
        };
    }

    static Asset resolve(String key, AssetRegistry assets) {
        if (key.startsWith(UNKNOWN_PREFIX)) {
            return new Asset.UnknownToken(Address.parseLenient(key.substring(UNKNOWN_PREFIX.length())));
        }
        return assets.bySymbol(key)
                .orElseThrow(() -> new IllegalStateException(
                        "a reservation names asset " + key + ", which this deployment no longer knows"));
    }
}
