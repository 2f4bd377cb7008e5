package dev.guardian.policy;

/**
 * Something of value a wallet can move: the chain's native coin, a known ERC-20 token, or an
 * ERC-20 token Guardian has not been told about. Unknown tokens still appear in effects, so that
 * a rule can refuse what it cannot value instead of ignoring it.
 */
public sealed interface Asset permits Asset.Native, Asset.Erc20, Asset.UnknownToken {

    /** A short display name such as {@code USDC} or {@code ETH}; unique among the assets of one deployment. */
    String symbol();

    /** How many decimal places one whole unit has (USDC 6, ETH 18). */
    int decimals();

    static Native ether() {
        return new Native("ETH", 18);
    }

    record Native(String symbol, int decimals) implements Asset {
        public Native {
            requireSymbol(symbol);
            requireDecimals(decimals);
        }

        @Override
        public String toString() {
            return symbol;
        }
    }

    record Erc20(Address contract, String symbol, int decimals) implements Asset {
        public Erc20 {
            if (contract == null) {
                throw new IllegalArgumentException("an ERC-20 asset needs its contract address");
            }
            requireSymbol(symbol);
            requireDecimals(decimals);
        }

        @Override
        public String toString() {
            return symbol;
        }
    }

    /** A token contract not in the asset registry; amounts are raw units because its decimals are unknown. */
    record UnknownToken(Address contract) implements Asset {
        public UnknownToken {
            if (contract == null) {
                throw new IllegalArgumentException("an unknown token still has a contract address");
            }
        }

        @Override
        public String symbol() {
            return "unknown token " + contract;
        }

        @Override
        public int decimals() {
            return 0;
        }

        @Override
        public String toString() {
            return symbol();
        }
    }

    private static void requireSymbol(String symbol) {
        if (symbol == null || symbol.isBlank() || symbol.length() > 16) {
            throw new IllegalArgumentException("an asset symbol is 1-16 characters");
        }
    }

    private static void requireDecimals(int decimals) {
        if (decimals < 0 || decimals > 36) {
            throw new IllegalArgumentException("decimals must be between 0 and 36");
        }
    }
}
