package dev.guardian.service.x402;

import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chain an x402 {@code network} names. v2 uses CAIP-2 ({@code eip155:<chain id>}, as
 * {@code getEvmChainId} in {@code @x402/evm} 2.27.0 {@code dist/esm/chunk-EKCH75YB.mjs} reads it); v1 uses
 * names, mapped exactly as {@code EVM_NETWORK_CHAIN_ID_MAP} in {@code dist/esm/chunk-SGFNIWGK.mjs} of the same
 * package ({@code @x402/evm/v1}). A network outside these (Solana, a v1 name the table lacks) is not an EVM
 * chain Guardian can pay on, which is an answer, not a format error.
 */
public final class X402Network {
    /** {@code @x402/evm} 2.27.0 {@code EVM_NETWORK_CHAIN_ID_MAP}, in its order. */
    static final Map<String, Long> V1_CHAIN_IDS = Map.ofEntries(
            Map.entry("ethereum", 1L),
            Map.entry("sepolia", 11155111L),
            Map.entry("abstract", 2741L),
            Map.entry("abstract-testnet", 11124L),
            Map.entry("base-sepolia", 84532L),
            Map.entry("base", 8453L),
            Map.entry("avalanche-fuji", 43113L),
            Map.entry("avalanche", 43114L),
            Map.entry("iotex", 4689L),
            Map.entry("sei", 1329L),
            Map.entry("sei-testnet", 1328L),
            Map.entry("polygon", 137L),
            Map.entry("polygon-amoy", 80002L),
            Map.entry("peaq", 3338L),
            Map.entry("story", 1514L),
            Map.entry("educhain", 41923L),
            Map.entry("skale-base-sepolia", 324705682L),
            Map.entry("megaeth", 4326L),
            Map.entry("monad", 143L),
            Map.entry("stable", 988L),
            Map.entry("stable-testnet", 2201L),
            Map.entry("celo", 42220L),
            Map.entry("flare", 14L));

    private static final Pattern EIP155 = Pattern.compile("eip155:([0-9]+)");

    private X402Network() {}

    /**
     * The EVM chain id of {@code network} in protocol {@code version}, or empty when it is not an EVM
     * network. Throws {@link X402FormatException} for an {@code eip155:} network whose id is not a number.
     */
    public static OptionalLong evmChainId(int version, String network) {
        if (version == 1) {
            Long chainId = V1_CHAIN_IDS.get(network);
            return chainId == null ? OptionalLong.empty() : OptionalLong.of(chainId);
        }
        if (!network.startsWith("eip155:")) {
            return OptionalLong.empty();
        }
        Matcher matcher = EIP155.matcher(network);
        if (!matcher.matches() || matcher.group(1).length() > 15 || Long.parseLong(matcher.group(1)) <= 0) {
            throw new X402FormatException("network \"" + network
                    + "\" is not a CAIP-2 EVM chain id: expected eip155:<positive decimal chain id>");
        }
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
    }

    /** How protocol {@code version} names chain {@code chainId}: for messages that say what was expected. */
    static String describe(int version, long chainId) {
        if (version != 1) {
            return "eip155:" + chainId;
        }
        return V1_CHAIN_IDS.entrySet().stream()
                .filter(e -> e.getValue() == chainId)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("(no v1 name for chain " + chainId + ")");
    }
}
