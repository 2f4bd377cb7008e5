package dev.guardian.policy.decision;

/**
 * Stable identifiers of everything that can stop or hold a request. The string {@link #id()} is part
 * of the public API: agents branch on it, auditors filter by it. Never rename one; add a new one.
 */
public enum RuleId {
    AGENT_FROZEN("agent.frozen"),
    SANCTIONS_HIT("sanctions.hit"),
    SANCTIONS_NOT_CURRENT("sanctions.not-current"),
    SIMULATION_REVERTED("simulation.reverted"),
    SIMULATION_UNDECODABLE("simulation.undecodable"),
    ASSET_UNKNOWN("asset.unknown"),
    ASSET_UNLIMITED("asset.no-limit-configured"),
    PER_TRANSACTION_CAP("cap.per-transaction"),
    WINDOW_BUDGET("budget.window"),
    COUNTERPARTY_NOT_ALLOWLISTED("counterparty.not-allowlisted"),
    /** The counterparty was allowlisted, but its entry has expired. */
    COUNTERPARTY_ALLOWLIST_EXPIRED("counterparty.allowlist-expired"),
    /** The hard per-transaction limit (above the escalation threshold of {@link #PER_TRANSACTION_CAP}). */
    PER_TRANSACTION_LIMIT("limit.per-transaction"),
    COUNTERPARTY_BUDGET("budget.counterparty"),
    TEAM_BUDGET("budget.team"),
    TRANSACTION_COUNT("limit.transaction-count"),
    /**
     * The request would move value out of, or grant an allowance over, another of the agent's wallets
     * than the one it pays from: each wallet's money leaves only through its own requests, where the
     * agent's limits see it.
     */
    OTHER_WALLET_MOVED("wallet.other-wallet-moved"),
    /** The deployment-wide kill switch is engaged: every agent is refused. */
    ALL_AGENTS_FROZEN("guardian.all-agents-frozen"),
    /** The call goes to a contract the policy does not list. */
    CONTRACT_NOT_ALLOWLISTED("contract.not-allowlisted"),
    /** The contract is listed, but not the function the call names. */
    FUNCTION_NOT_ALLOWLISTED("contract.function-not-allowlisted"),
    /** The function is listed, but an argument breaks its rule (not a payee, above a maximum, another spender). */
    ARGUMENT_NOT_ALLOWED("contract.argument-not-allowed"),
    /** The contract the wallet calls emitted an event Guardian does not understand. */
    UNKNOWN_EVENT("effects.unknown-event"),
    /** Value that left the wallet reached, further down the call, an address no allowlist names. */
    ONWARD_NOT_ALLOWLISTED("counterparty.onward-not-allowlisted"),
    /** Value stays with an allowlisted contract that money should only pass through. */
    NOT_A_PAYEE("counterparty.not-a-payee"),
    /** An allowance so large it is unlimited (2^255 and above, or an operator of all tokens). */
    ALLOWANCE_UNLIMITED("allowance.unlimited"),
    /** The transaction's gas limit is above the policy's ceiling. */
    GAS_LIMIT("fee.gas-limit"),
    /** The most the transaction can cost in fees is above the policy's per-transaction ceiling. */
    FEE_PER_TRANSACTION("fee.per-transaction"),
    /** The fee would push what the agent spent on gas within a period past its fee budget. */
    FEE_BUDGET("budget.fee"),
    /** Too many of the agent's transactions reverted on chain within a period. */
    REPEATED_REVERTS("transaction.repeated-reverts"),
    /**
     * A treasury revocation whose simulated call would do anything but lower the named allowance of the
     * wallet to zero (move value, touch another allowance, emit an event Guardian does not understand),
     * or would lower none. Treasury actions are judged by this narrow check, not by the agent's policy.
     */
    TREASURY_REVOCATION_EFFECTS("treasury.revocation-effects"),
    /**
     * A treasury sweep whose simulated call would do anything but move the swept asset from the wallet to
     * the configured sweep address (move it elsewhere, set an allowance, emit an unknown event).
     */
    TREASURY_SWEEP_EFFECTS("treasury.sweep-effects"),
    /**
     * Guardian's cancellation of an outstanding EIP-3009 authorization whose simulated call would do anything
     * but cancel it (move value, set an allowance, emit any event but the token's AuthorizationCanceled).
     */
    TREASURY_CANCELLATION_EFFECTS("treasury.cancellation-effects"),
    /**
     * Guardian's relayer, which pays the gas of what it sends on an agent's behalf (the cancellation of an
     * outstanding authorization), holds less than the most that transaction can cost. The figures: what it
     * holds (limit and remaining) and what the transaction may cost (attempted), in the native coin.
     */
    RELAYER_INSUFFICIENT_FUNDS("relayer.insufficient-funds"),
    /**
     * Typed data Guardian will not sign: a type it does not recognise as a transfer or permit and the policy
     * does not list as a message, a recognised type whose domain is not the real contract's, or one that would
     * move another account's money or money on another chain.
     */
    TYPED_DATA_NOT_ALLOWED("typed-data.not-allowed"),
    /** The signature would stay usable longer than the policy's longest validity. */
    SIGNATURE_VALIDITY("typed-data.validity-too-long"),
    /** An x402 payment for a resource whose origin the policy does not list. */
    X402_ORIGIN_NOT_ALLOWED("x402.origin-not-allowed"),
    /** An x402 payment above the policy's most per request (or in an asset it sets no maximum for). */
    X402_PRICE_LIMIT("x402.price-above-limit");

    private final String id;

    RuleId(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static RuleId fromId(String id) {
        for (RuleId rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("unknown rule id: " + id);
    }

    @Override
    public String toString() {
        return id;
    }
}
