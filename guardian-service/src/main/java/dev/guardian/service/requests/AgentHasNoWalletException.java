package dev.guardian.service.requests;

import dev.guardian.policy.AgentId;

/** The agent exists but has no wallet yet, so there is nothing to pay from; the treasury team creates one. */
public class AgentHasNoWalletException extends RuntimeException {
    AgentHasNoWalletException(AgentId agent) {
        super("agent " + agent + " has no wallet yet; a treasury team member creates one (POST /v1/agents/" + agent
                + "/wallets)");
    }
}
