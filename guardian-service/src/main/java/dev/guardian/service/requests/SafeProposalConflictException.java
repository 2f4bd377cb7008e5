package dev.guardian.service.requests;

import java.math.BigInteger;
import java.util.UUID;

/**
 * A Safe transaction proposed while another request of the same Safe for the same Safe nonce (or the very same
 * Safe transaction) is still on its way: deciding, waiting for people, being sent or unmined. Only one
 * transaction can ever take a Safe nonce, so a second one would be relayed only to revert, on the relayer's
 * gas. Refused before anything is recorded, signed or sent; {@code existing} is the request that holds the nonce.
 */
public class SafeProposalConflictException extends RuntimeException {
    /** The proposal is the same Safe transaction (same safeTxHash) as {@code existing}. */
    public static final String SAME_TRANSACTION = "safe-transaction-already-proposed";
    /** The proposal is another Safe transaction for the nonce {@code existing} holds. */
    public static final String NONCE_IN_USE = "safe-nonce-in-use";

    private final String problem;
    private final UUID existing;
    private final BigInteger nonce;

    SafeProposalConflictException(String problem, UUID existing, BigInteger nonce) {
        super(
                SAME_TRANSACTION.equals(problem)
                        ? "this Safe transaction was already proposed as request " + existing
                                + ", which is not final yet; read it with GET /v1/requests/" + existing
                                + " (a retry under its own Idempotency-Key is answered with it)"
                        : "request " + existing + " holds Safe nonce " + nonce + " and is not final yet (deciding,"
                                + " waiting for approval, or on its way to the chain); only one Safe transaction"
                                + " can take a nonce. Propose again once it is final, with the Safe's nonce then");
        this.problem = problem;
        this.existing = existing;
        this.nonce = nonce;
    }

    /** The last segment of the problem type: {@link #SAME_TRANSACTION} or {@link #NONCE_IN_USE}. */
    public String problem() {
        return problem;
    }

    public UUID existing() {
        return existing;
    }

    public BigInteger nonce() {
        return nonce;
    }
}
