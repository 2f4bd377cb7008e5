package dev.guardian.service.policies;

import dev.guardian.policy.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored version of an agent's policy. Versions never change; {@code active} says whether this is
 * the version that judges the agent's requests at the moment it was read.
 */
public record PolicyVersion(
        AgentId agent,
        int version,
        PolicyDocument document,
        String comment,
        Instant createdAt,
        String createdBy,
        boolean active) {
    public PolicyVersion {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        if (version < 1) {
            throw new IllegalArgumentException("policy versions count from 1");
        }
    }
}
