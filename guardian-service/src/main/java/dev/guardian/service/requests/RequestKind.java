package dev.guardian.service.requests;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a request is, as the {@code kind} column records it: an agent's own request (a payment, a contract
 * call), judged by its policy and stopped by a freeze or the kill switch; or a treasury action (a
 * revocation, a sweep) that a person asked for on an agent's wallet, judged by the narrow treasury check
 * instead, which a freeze or the kill switch does not stop and whose value and fees count against none of
 * the agent's limits (docs/treasury.md).
 */
public enum RequestKind {
    PAYMENT(false),
    CONTRACT_CALL(false),
    TREASURY_REVOKE(true),
    TREASURY_SWEEP(true),
    /** EIP-712 typed data the agent asked Guardian to sign (an authorization, a permit, a listed message). */
    TYPED_DATA(false),
    /** An EIP-3009 authorization Guardian built and signed to pay an x402 resource. */
    X402_PAYMENT(false),
    /** Guardian's cancelAuthorization of an outstanding EIP-3009 authorization, after a freeze or a hit. */
    TREASURY_CANCEL_AUTHORIZATION(true),
    /** A Safe transaction the agent signed for its Safe wallet, co-signed by Guardian and sent by the relayer. */
    SAFE_TRANSACTION(false),
    /** The relayer's creation of a Safe wallet a treasury asked for (the factory's createProxyWithNonce). */
    TREASURY_SAFE_CREATION(true);

    /** The treasury kinds as an SQL list, for queries of an agent's own requests: {@code kind not in (...)}. */
    static final String TREASURY_KINDS_SQL = Arrays.stream(values())
            .filter(RequestKind::treasuryAction)
            .map(k -> "'" + k.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    private final boolean treasuryAction;

    RequestKind(boolean treasuryAction) {
        this.treasuryAction = treasuryAction;
    }

    /** Whether a person asked for it on an agent's wallet, rather than the agent itself. */
    public boolean treasuryAction() {
        return treasuryAction;
    }

    /** Whether Guardian signs typed data for it rather than a transaction: nothing of it is ever broadcast. */
    public boolean signsTypedData() {
        return this == TYPED_DATA || this == X402_PAYMENT;
    }

    /** The kind a request's {@code kind} column names. */
    public static RequestKind of(String kind) {
        return valueOf(kind);
    }
}
