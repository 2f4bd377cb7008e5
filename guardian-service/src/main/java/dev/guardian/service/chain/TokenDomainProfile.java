package dev.guardian.service.chain;

import java.util.Objects;

/**
 * USDC's EIP-712 domain name and version as the chain profile configures them
 * ({@code guardian.chain.usdc.eip712-name}, {@code eip712-version}): what the token on chain must answer
 * before Guardian signs an authorization or permit for it.
 */
public record TokenDomainProfile(String name, String version) {
    public TokenDomainProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
