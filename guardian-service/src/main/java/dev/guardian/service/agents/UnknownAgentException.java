package dev.guardian.service.agents;

import dev.guardian.policy.AgentId;

/** No agent has this id. */
public class UnknownAgentException extends RuntimeException {
    UnknownAgentException(AgentId id) {
        super("no agent " + id);
    }
}
