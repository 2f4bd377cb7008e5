package dev.guardian.service.x402;

/**
 * An offered requirement on a network that is not an EVM chain Guardian knows (Solana, a v1 name outside
 * {@link X402Network}'s table). Kept only so that a refusal can list it with its reason.
 *
 * @param index its position in {@code accepts}
 */
public record NonEvmOffer(int index, String scheme, String network) {}
