package dev.guardian.service.chain;

/**
 * {@link ChainAdapter#estimateGas} found that the call would revert (or that the node would refuse to
 * execute it, e.g. for lack of funds). This is an answer about the call, not an outage: the reason has
 * the same form as {@link Simulation.Reverted#reason()}. {@link ChainAdapter#simulate} reports the same
 * situation as a {@link Simulation.Reverted} value instead, because there a revert is a normal outcome.
 */
public class SimulationRevertedException extends ChainException {
    private final String reason;

    public SimulationRevertedException(String reason) {
        super("the call would revert: " + reason, null);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
