package dev.guardian.service.policies;

import dev.guardian.policy.AgentId;

/** The agent has no active policy version (or does not exist), so nothing may be judged for it. */
class NoActivePolicyException extends RuntimeException {
    public NoActivePolicyException(AgentId agent) {
        super("agent " + agent + " has no active policy version");
    }
}
