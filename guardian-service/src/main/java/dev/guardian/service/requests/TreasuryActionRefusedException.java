package dev.guardian.service.requests;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A treasury action that is not even tried, because the state of the wallet or of the deployment makes
 * it pointless or unsafe: nothing was recorded, simulated into a request or signed. {@code problem} is a
 * stable slug (the API answers 409 {@code conflict/<problem>}); {@code requests} names the requests the
 * action ran into, if any (those in flight on the wallet).
 */
public class TreasuryActionRefusedException extends RuntimeException {
    /** No {@code guardian.treasury.sweep-address} is configured: there is nowhere to sweep to. */
    public static final String SWEEP_ADDRESS_NOT_CONFIGURED = "sweep-address-not-configured";
    /** The configured sweep address is one of Guardian's own wallets. */
    public static final String SWEEP_ADDRESS_IS_A_WALLET = "sweep-address-is-a-wallet";
    /** The allowance is zero on chain already: a revocation would only burn gas. */
    public static final String ALLOWANCE_ALREADY_ZERO = "allowance-already-zero";
    /** A revocation of the same allowance of the wallet is on its way to the chain. */
    public static final String REVOCATION_IN_FLIGHT = "revocation-in-flight";
    /** A Permit2 allowance was named but this deployment has no {@code guardian.chain.permit2}. */
    public static final String PERMIT2_NOT_CONFIGURED = "permit2-not-configured";
    /** Transactions of the wallet are on their way to the chain: a sweep now could not compute what is left. */
    public static final String WALLET_BUSY = "wallet-busy";
    /** None of the assets named has anything to sweep (the native coin: nothing beyond the fee). */
    public static final String NOTHING_TO_SWEEP = "nothing-to-sweep";

    /** A revocation or sweep on a co-signed Safe: treasury owners act on a Safe with their own signatures. */
    public static final String SAFE_WALLET = "safe-wallet";

    private final String problem;
    private final List<UUID> requests;

    public TreasuryActionRefusedException(String problem, String message, List<UUID> requests) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.requests = List.copyOf(requests);
    }

    public TreasuryActionRefusedException(String problem, String message) {
        this(problem, message, List.of());
    }

    public String problem() {
        return problem;
    }

    public List<UUID> requests() {
        return requests;
    }
}
