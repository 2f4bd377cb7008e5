package dev.guardian.service.policies;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
        @Valid @DefaultValue Fees fees,
        @Valid Signatures signatures,
        @Valid X402 x402) {

    /** The constructor configuration binds to: a record with a second constructor needs saying which. */
    @ConstructorBinding
    public ConfiguredPolicy {}

    /** A configured policy without the sections for typed-data signatures and x402 (as written before them). */
    public ConfiguredPolicy(
            String version,
            Map<String, String> perTransactionCap,
            List<Budget> budgets,
            List<AllowlistEntry> allowlist,
            Approvals approvals,
            Fees fees) {
        this(version, perTransactionCap, budgets, allowlist, approvals, fees, null, null);
    }

    /**
     * Typed-data signatures, named as in the document's {@code signatures} section: the longest a
     * signature may stay usable ({@code 10m} or {@code PT10M}; default ten minutes) and the messages that
     * move no value the agent may sign.
     */
    public record Signatures(
            Duration maxValidity, @Valid @DefaultValue List<Message> messages) {}

    /**
     * A message the agent may sign, named as in the document's {@code signatures.messages}: the EIP-712
     * domain's name, version, chain id and verifying contract (each optional, and then required absent),
     * the primary type and its whole encoded type ({@code type}).
     */
    public record Message(
            @NotBlank String domain,
            String version,
            Long chainId,
            String verifyingContract,
            @NotBlank String primaryType,
            @NotBlank String type) {}

    /**
     * Payments by x402, named as in the document's {@code x402} section: the origins the agent may pay
     * and, per asset symbol, the most one request may cost in whole units.
     */
    public record X402(
            @DefaultValue List<String> origins,
            @DefaultValue Map<String, String> maxPerRequest) {}

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
