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
    TREASURY_SWEEP(true);

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

    /** The kind a request's {@code kind} column names. */
    public static RequestKind of(String kind) {
        return valueOf(kind);
    }
}
