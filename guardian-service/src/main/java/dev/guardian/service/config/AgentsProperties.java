package dev.guardian.service.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Agents, their wallets and policies, read from configuration at start. Amounts are whole-unit
 * decimals per asset symbol (e.g. {@code USDC: "100"}); they are parsed into smallest units with the
 * asset's decimals, and a value with too many decimals stops start-up.
 */
@Validated
@ConfigurationProperties("guardian")
public record AgentsProperties(@Valid @DefaultValue List<Agent> agents) {

    public record Agent(
            @NotBlank String id,
            String name,
            /** SHA-256 of the agent's API key, hex. The key itself is never configured or stored. */
            @NotBlank @Pattern(regexp = "(0x)?[0-9a-fA-F]{64}", message = "must be 64 hex digits (SHA-256 of the API key)")
            String apiKeySha256,

            boolean frozen,
            @Valid @NotNull Wallet wallet,
            @Valid @NotNull Policy policy) {}

    /** The agent's wallet: generated on first start, or imported once from a file holding a hex key. */
    public record Wallet(@NotBlank String id, Path importKeyFile) {}

    /**
     * A configured policy, in the configuration's older shape (the treasury API takes the richer policy
     * document). {@code version} is accepted so older files still bind, but Guardian numbers policy
     * versions itself: the configured policy becomes the next version when it changes.
     */
    public record Policy(
            String version,
            @DefaultValue Map<String, String> perTransactionCap,
            @Valid @DefaultValue List<Budget> budgets,
            @Valid @DefaultValue List<AllowlistEntry> allowlist,
            @Valid @DefaultValue Approvals approvals) {}

    /**
     * How escalations are decided: within {@code deadline}, by {@code quorum} distinct approvers
     * (one unless a step says more, e.g. {asset: USDC, above: "1000", approvals: 2}).
     */
    public record Approvals(
            @NotNull @DefaultValue("24h") Duration deadline,
            @Valid @DefaultValue List<QuorumStep> quorum) {}

    public record QuorumStep(
            @NotBlank String asset,
            @NotBlank String above,

            @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(10) int approvals) {}

    public record Budget(
            @NotBlank String asset,
            @NotBlank String limit,
            @NotNull @DefaultValue("24h") Duration window) {}

    public record AllowlistEntry(
            @NotBlank String address, @DefaultValue("") String label) {}
}
