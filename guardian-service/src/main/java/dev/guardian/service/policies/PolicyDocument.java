package dev.guardian.service.policies;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * An agent's policy as people write it (docs/policies.md), in JSON or YAML. This is the syntax only:
 * {@link PolicyDocuments#parse} checks what annotations cannot (known assets, decimals, addresses,
 * durations, zones, duplicates) and turns a valid document into its canonical form, where every
 * default is spelled out. A component that was not given is {@code null} until then.
 *
 * @param perTransaction    per asset symbol: above what one request escalates, and above what it is denied
 * @param budgets           the agent's own spending limits per asset, over a rolling window or a calendar period
 * @param timeZone          the IANA zone calendar periods are counted in (default UTC)
 * @param transactionCounts how many money-moving requests the agent may make per window or period
 * @param allowlist         known counterparties; any other escalates
 * @param approvals         how escalated requests are decided: deadline and quorum
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDocument(
        @Size(max = 50) Map<String, @NotNull @Valid PerTransaction> perTransaction,
        @Size(max = 100) List<@NotNull @Valid Budget> budgets,
        @Size(min = 1, max = 64) String timeZone,
        @Size(max = 20) List<@NotNull @Valid CountLimit> transactionCounts,
        @Size(max = 1000) List<@NotNull @Valid AllowlistEntry> allowlist,
        @Valid Approvals approvals) {

    /** Limits on one request, in whole units of the asset; at least one of the two. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PerTransaction(
            @JsonDeserialize(using = TextValues.Amount.class)
            String escalateAbove,

            @JsonDeserialize(using = TextValues.Amount.class)
            String max) {}

    /**
     * At most {@code limit} of {@code asset} within a rolling {@code window} ({@code 24h}, {@code 7d}) or a
     * calendar {@code period} ({@code day}, {@code week}, {@code month}); exactly one of the two.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Budget(
            @NotBlank @Size(max = 16) String asset,

            @NotNull @JsonDeserialize(using = TextValues.Amount.class)
            String limit,

            @Size(max = 16) String window,
            @Size(max = 16) String period) {}

    /** At most {@code max} money-moving requests within a rolling {@code window} or a calendar {@code period}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CountLimit(
            @NotNull @Min(1) @Max(1_000_000) @JsonDeserialize(using = TextValues.WholeNumber.class)
            Integer max,

            @Size(max = 16) String window,
            @Size(max = 16) String period) {}

    /**
     * A known counterparty, its label, when it stops being trusted (optional ISO-8601 instant), and
     * optional caps on what may be sent to it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AllowlistEntry(
            @NotNull @JsonDeserialize(using = TextValues.Address.class)
            String address,

            @NotBlank @Size(max = 100) String label,
            @Size(max = 64) String expiresAt,
            @Size(max = 20) List<@NotNull @Valid Budget> limits) {}

    /** How long approvers have ({@code 1m} to {@code 30d}, default {@code 24h}) and how many must approve. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Approvals(
            @Size(max = 16) String deadline, @Size(max = 20) List<@NotNull @Valid QuorumStep> quorum) {}

    /** A request moving more than {@code above} of {@code asset} needs {@code approvals} distinct approvers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QuorumStep(
            @NotBlank @Size(max = 16) String asset,

            @NotNull @JsonDeserialize(using = TextValues.Amount.class)
            String above,

            @NotNull @Min(1) @Max(10) @JsonDeserialize(using = TextValues.WholeNumber.class)
            Integer approvals) {}
}
