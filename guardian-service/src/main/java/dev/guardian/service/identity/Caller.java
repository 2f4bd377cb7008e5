package dev.guardian.service.identity;

import dev.guardian.policy.AgentId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** An authenticated caller: its id, whether it is an agent or a person, and its roles. */
public record Caller(String id, Kind kind, Set<Role> roles) {
    /** The request attribute under which authentication leaves the caller for the endpoint. */
    public static final String REQUEST_ATTRIBUTE = "guardian.caller";

    public enum Kind {
        AGENT,
        PERSON
    }

    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        roles = Set.copyOf(roles);
        if (kind == Kind.AGENT && !roles.equals(Set.of(Role.AGENT))) {
            throw new IllegalArgumentException("an agent holds the agent role and nothing else");
        }
        if (kind == Kind.PERSON && roles.contains(Role.AGENT)) {
            throw new IllegalArgumentException("a person cannot hold the agent role");
        }
    }

    public static Caller agent(AgentId id) {
        return new Caller(id.value(), Kind.AGENT, Set.of(Role.AGENT));
    }

    public boolean holdsAnyOf(Set<Role> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }

    public Optional<AgentId> agentId() {
        return kind == Kind.AGENT ? Optional.of(new AgentId(id)) : Optional.empty();
    }
}
