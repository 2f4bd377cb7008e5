package dev.guardian.service.agents;

/**
 * A change to an agent that its current state does not allow (a retired agent unfrozen, a second
 * wallet, an agent id taken). Nothing was changed; the message says why.
 */
public class AgentChangeRefusedException extends RuntimeException {
    private final String problem;

    AgentChangeRefusedException(String problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** A short stable name of what was refused, used as the problem type's last segment. */
    public String problem() {
        return problem;
    }
}
