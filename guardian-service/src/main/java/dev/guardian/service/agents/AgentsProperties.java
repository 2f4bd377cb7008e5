package dev.guardian.service.agents;

import dev.guardian.service.policies.ConfiguredPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Agents, their wallets and policies, read from configuration at start ({@code guardian.agents}). The
 * policy part is {@link ConfiguredPolicy}, which the policies package turns into a policy document.
 */
@Validated
@ConfigurationProperties("guardian")
record AgentsProperties(@Valid @DefaultValue List<Agent> agents) {

    public record Agent(
            @NotBlank String id,
            String name,
            /** SHA-256 of the agent's API key, hex. The key itself is never configured or stored. */
            @NotBlank @Pattern(regexp = "(0x)?[0-9a-fA-F]{64}", message = "must be 64 hex digits (SHA-256 of the API key)")
            String apiKeySha256,

            boolean frozen,
            @Valid @NotNull Wallet wallet,
            @Valid @NotNull ConfiguredPolicy policy) {}

    /** The agent's wallet: generated on first start, or imported once from a file holding a hex key. */
    public record Wallet(@NotBlank String id, Path importKeyFile) {}
}
