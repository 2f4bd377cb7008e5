package dev.guardian.service.x402;

import dev.guardian.policy.Address;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * One payment a resource server offers on an EVM chain (an entry of {@code accepts}). v2 fields as
 * {@code PaymentRequirements} in specs/x402-specification-v2.md 5.1.2; v1 as specs/x402-specification-v1.md
 * ({@code maxAmountRequired} for the amount, {@code resource} and {@code description} per requirement).
 *
 * @param version the x402 version of the answer it came in (1 or 2)
 * @param scheme e.g. {@code exact}
 * @param network as the server spelled it ({@code eip155:8453}, v1 {@code base})
 * @param chainId the chain that network names
 * @param asset the token contract
 * @param amount in the token's smallest units (v2 {@code amount}, v1 {@code maxAmountRequired})
 * @param payTo who is paid
 * @param maxTimeoutSeconds how long the server waits for the payment; the reference client signs an
 *     authorization valid for that long; at most {@link PaymentRequired#MAX_TIMEOUT_SECONDS}
 * @param resourceUrl v2: {@code PaymentRequired.resource.url}; v1: the requirement's {@code resource}
 * @param description "" when the server gave none
 * @param tokenName {@code extra.name}: the token's EIP-712 domain name; empty when absent
 * @param tokenVersion {@code extra.version}: the token's EIP-712 domain version; empty when absent
 * @param rawJson the requirement object exactly as received (re-serialized, member order kept): v2 echoes
 *     it as {@code accepted}, and the server matches the echo against its own by deep equality
 */
public record Requirement(
        int version,
        String scheme,
        String network,
        long chainId,
        Address asset,
        BigInteger amount,
        Address payTo,
        long maxTimeoutSeconds,
        String resourceUrl,
        String description,
        Optional<String> tokenName,
        Optional<String> tokenVersion,
        String rawJson) {
    public Requirement {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("x402 version is 1 or 2, was " + version);
        }
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(payTo, "payTo");
        Objects.requireNonNull(resourceUrl, "resourceUrl");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(tokenName, "tokenName");
        Objects.requireNonNull(tokenVersion, "tokenVersion");
        Objects.requireNonNull(rawJson, "rawJson");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("amount must not be negative");
        }
        if (maxTimeoutSeconds <= 0 || maxTimeoutSeconds > PaymentRequired.MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException(
                    "maxTimeoutSeconds must be positive and at most " + PaymentRequired.MAX_TIMEOUT_SECONDS);
        }
    }
}
