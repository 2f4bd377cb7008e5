package dev.guardian.service.agents;

import dev.guardian.policy.AssetRegistry;
import java.util.List;

/**
 * Agents loaded at start next to the configured ones ({@code guardian.agents}): the development mode's
 * demo agent. Absent outside the development mode.
 */
public interface AdditionalAgents {
    List<AgentDefinition> agents(AssetRegistry assets);
}
