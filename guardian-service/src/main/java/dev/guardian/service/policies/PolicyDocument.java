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
 * @param contracts         the contracts and functions the agent may call (registered tokens' own
 *                          {@code transfer} and {@code approve} are allowed unless the token is listed here)
 * @param outsideContracts  what a call outside {@code contracts} gets: {@code escalate} (default) or {@code deny}
 * @param fees              ceilings and budgets on gas, and how many on-chain reverts escalate (defaults apply)
 * @param signatures        how long a typed-data signature may stay usable, and the messages that move no
 *                          value the agent may sign (none unless listed)
 * @param x402              the origins the agent may pay by x402 and the most one request may cost (none unless listed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDocument(
        @Size(max = 50) Map<String, @NotNull @Valid PerTransaction> perTransaction,
        @Size(max = 100) List<@NotNull @Valid Budget> budgets,
        @Size(min = 1, max = 64) String timeZone,
        @Size(max = 20) List<@NotNull @Valid CountLimit> transactionCounts,
        @Size(max = 1000) List<@NotNull @Valid AllowlistEntry> allowlist,
        @Valid Approvals approvals,
        @Size(max = 200) List<@NotNull @Valid Contract> contracts,
        @Size(max = 16) String outsideContracts,
        @Valid Fees fees,
        @Valid Signatures signatures,
        @Valid X402 x402) {

    /** The document without the sections for typed-data signatures and x402 (as versions stored before them). */
    public PolicyDocument(
            Map<String, PerTransaction> perTransaction,
            List<Budget> budgets,
            String timeZone,
            List<CountLimit> transactionCounts,
            List<AllowlistEntry> allowlist,
            Approvals approvals,
            List<Contract> contracts,
            String outsideContracts,
            Fees fees) {
        this(
                perTransaction,
                budgets,
                timeZone,
                transactionCounts,
                allowlist,
                approvals,
                contracts,
                outsideContracts,
                fees,
                null,
                null);
    }

    /** The document without the sections added for contracts and fees (as versions stored before them). */
    public PolicyDocument(
            Map<String, PerTransaction> perTransaction,
            List<Budget> budgets,
            String timeZone,
            List<CountLimit> transactionCounts,
            List<AllowlistEntry> allowlist,
            Approvals approvals) {
        this(perTransaction, budgets, timeZone, transactionCounts, allowlist, approvals, null, null, null, null, null);
    }

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
     * A known counterparty, its label, whether money may end with it ({@code payee}, the default) or only
     * pass through it ({@code contract}), when it stops being trusted (optional ISO-8601 instant), and
     * optional caps on what may be sent to it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AllowlistEntry(
            @NotNull @JsonDeserialize(using = TextValues.Address.class)
            String address,

            @NotBlank @Size(max = 100) String label,
            @Size(max = 64) String expiresAt,
            @Size(max = 20) List<@NotNull @Valid Budget> limits,
            @Size(max = 16) String kind) {

        public AllowlistEntry(String address, String label, String expiresAt, List<Budget> limits) {
            this(address, label, expiresAt, limits, null);
        }
    }

    /**
     * A contract the agent may call: its address and label, the functions it may call on it, and the
     * events it emits that move nothing (any other event it emits escalates).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contract(
            @NotNull @JsonDeserialize(using = TextValues.Address.class)
            String address,

            @NotBlank @Size(max = 100) String label,
            @NotNull @Size(min = 1, max = 50) List<@NotNull @Valid Function> functions,
            @Size(max = 50) List<@NotBlank @Size(max = 200) String> knownEvents) {}

    /** One function, by signature (e.g. {@code withdrawTo(address,uint256,address)}), and rules for its arguments. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Function(
            @NotBlank @Size(max = 200) String signature,
            @Size(max = 20) List<@NotNull @Valid Argument> arguments) {}

    /**
     * What argument {@code index} (from 0) may be; exactly one of: {@code payee: true} (an allowlisted payee
     * or the wallet itself), {@code wallet: true} (the wallet itself), {@code oneOf} (these addresses
     * only), {@code atMost} (an amount of at most this much, in whole units of {@code asset}, or in raw
     * units when no asset is given).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Argument(
            @NotNull @Min(0) @Max(31) @JsonDeserialize(using = TextValues.WholeNumber.class)
            Integer index,

            Boolean payee,
            Boolean wallet,

            @Size(max = 50) @JsonDeserialize(contentUsing = TextValues.Address.class)
            List<@NotNull String> oneOf,

            @JsonDeserialize(using = TextValues.Amount.class)
            String atMost,

            @Size(max = 16) String asset) {}

    /**
     * What gas may cost: a ceiling on a transaction's gas limit and on its fee (in whole units of the
     * native coin), fee budgets over windows or periods, and at most how many on-chain reverts before the
     * next request escalates. Each part not given takes its default (docs/policies.md).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Fees(
            @Min(21_000) @Max(100_000_000) @JsonDeserialize(using = TextValues.WholeNumber.class)
            Integer maxGasLimit,

            @JsonDeserialize(using = TextValues.Amount.class)
            String maxPerTransaction,

            @Size(max = 10) List<@NotNull @Valid FeeBudget> budgets,
            @Valid CountLimit reverts) {}

    /** At most {@code limit} of the native coin in fees within a rolling {@code window} or calendar {@code period}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FeeBudget(
            @NotNull @JsonDeserialize(using = TextValues.Amount.class)
            String limit,

            @Size(max = 16) String window,
            @Size(max = 16) String period) {}

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

    /**
     * Typed-data signatures: the longest a signature may stay usable after it is asked for (an ISO-8601
     * duration such as {@code PT10M}, default ten minutes, at most {@code P7D}), and the typed data that
     * moves no value the agent may sign.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Signatures(
            @Size(max = 32) String maxValidity,
            @Size(max = 100) List<@NotNull @Valid Message> messages) {}

    /**
     * Typed data of exactly this EIP-712 domain and type: the domain's {@code name} ({@code domain}),
     * {@code version}, {@code chainId} and {@code verifyingContract}, each matched exactly when given and
     * required absent when not, and the struct {@code primaryType} with {@code type}, its whole EIP-712
     * encoding ({@code Login(string user,uint256 issuedAt)}), so that a look-alike is not it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(
            @NotBlank @Size(max = 200) String domain,
            @Size(max = 100) String version,

            @JsonDeserialize(using = TextValues.ChainId.class)
            Long chainId,

            @JsonDeserialize(using = TextValues.Address.class)
            String verifyingContract,

            @NotBlank @Size(max = 100) String primaryType,
            @NotBlank @Size(max = 2000) String type) {}

    /**
     * Payments by x402: the resource origins the agent may pay ({@code https://api.example.com}, no path),
     * and per asset symbol the most one request may cost, in whole units.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record X402(
            @Size(max = 100) List<@NotNull @Size(max = 300) String> origins,

            @Size(max = 50) @JsonDeserialize(contentUsing = TextValues.Amount.class)
            Map<String, @NotNull String> maxPerRequest) {}
}
