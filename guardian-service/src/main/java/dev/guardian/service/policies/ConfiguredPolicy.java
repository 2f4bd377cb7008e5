package dev.guardian.service.policies;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A configured policy ({@code guardian.agents[n].policy}), in the configuration's older shape (the
 * treasury API takes the richer {@link PolicyDocument}; {@link PolicyDocuments#fromConfiguration} turns
 * one into the other). Amounts are whole-unit decimals per asset symbol (e.g. {@code USDC: "100"}); they
 * are parsed into smallest units with the asset's decimals, and a value with too many decimals stops
 * start-up. {@code version} is accepted so older files still bind, but Guardian numbers policy versions
 * itself: the configured policy becomes the next version when it changes.
 */
public record ConfiguredPolicy(
        String version,
        @DefaultValue Map<String, String> perTransactionCap,
        @Valid @DefaultValue List<Budget> budgets,
        @Valid @DefaultValue List<AllowlistEntry> allowlist,
        @Valid @DefaultValue Approvals approvals,
        @Valid @DefaultValue Fees fees) {

    /**
     * What gas may cost, in whole units of the native coin; each part not set takes the documented
     * default (docs/policies.md).
     */
    public record Fees(String maxPerTransaction, String budget, Duration budgetWindow, Integer maxGasLimit) {}

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

            @Min(1) @Max(10) int approvals) {}

    public record Budget(
            @NotBlank String asset,
            @NotBlank String limit,
            @NotNull @DefaultValue("24h") Duration window) {}

    /** A counterparty: a {@code payee} (the default) or a {@code contract} money only passes through. */
    public record AllowlistEntry(
            @NotBlank String address, @DefaultValue("") String label, String kind) {}
}
