package dev.guardian.service.policies;

import dev.guardian.policy.AgentId;
import dev.guardian.service.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/** What the audit log records of policy versions. */
final class PolicyEvents {
    private PolicyEvents() {}

    /** A version was stored, with its differences from the version active then ({@code comparedWith}). */
    @AuditEvent.Name("policy-version-created")
    public record VersionCreated(
            AgentId agent, int version, String comment, Optional<Integer> comparedWith, List<PolicyChange> diff)
            implements AuditEvent.AboutAgent {}

    /** A version became the one that judges the agent's requests; a rollback is an activation too. */
    @AuditEvent.Name("policy-activated")
    public record Activated(AgentId agent, Optional<Integer> from, int to, String comment)
            implements AuditEvent.AboutAgent {}
}
