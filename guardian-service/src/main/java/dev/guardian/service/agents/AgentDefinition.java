package dev.guardian.service.agents;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.rules.Policy;
import dev.guardian.service.policies.ConfiguredPolicy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured agent, validated and parsed: what Guardian loads into the database at start. The
 * policy is kept as configured ({@code source}, which becomes a policy version) and as parsed
 * ({@code policy}, proof that it is valid before anything is written).
 */
public record AgentDefinition(
        AgentId id,
        String name,
        byte[] apiKeySha256,
        boolean frozen,
        WalletId walletId,
        Optional<Path> importKeyFile,
        ConfiguredPolicy source,
        Policy policy) {
    public AgentDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(walletId, "walletId");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(importKeyFile, "importKeyFile");
        if (apiKeySha256 == null || apiKeySha256.length != 32) {
            throw new IllegalArgumentException("agent " + id + ": the API key hash is 32 bytes of SHA-256");
        }
        apiKeySha256 = apiKeySha256.clone();
        name = name == null || name.isBlank() ? id.value() : name;
    }

    @Override
    public byte[] apiKeySha256() {
        return apiKeySha256.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AgentDefinition that
                && id.equals(that.id)
                && name.equals(that.name)
                && Arrays.equals(apiKeySha256, that.apiKeySha256)
                && frozen == that.frozen
                && walletId.equals(that.walletId)
                && importKeyFile.equals(that.importKeyFile)
                && policy.equals(that.policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, walletId);
    }

    @Override
    public String toString() {
        return "AgentDefinition[id=" + id + ", wallet=" + walletId + ", policy=" + policy.version() + "]";
    }
}
