package dev.guardian.service.audit;

import dev.guardian.policy.AgentId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who caused an audited event, as the record's {@code actor} names it: {@code agent:<id>} for an
 * agent's request, {@code person:<id>} for an approver, auditor or administrator, {@code guardian} for
 * what Guardian does by itself (signing, submitting, following receipts, checkpoints), and
 * {@code configuration} for what the configuration an instance started with changed.
 */
public record Actor(String value) {
    // Declared before the constants below, which use it while the class initialises.
    private static final Pattern FORM = Pattern.compile("guardian|configuration|(agent|person):[A-Za-z0-9.@_-]{1,64}");

    public static final Actor GUARDIAN = new Actor("guardian");
    public static final Actor CONFIGURATION = new Actor("configuration");

    public Actor {
        Objects.requireNonNull(value, "value");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "an actor is guardian, configuration, agent:<id> or person:<id>; got " + value);
        }
    }

    public static Actor agent(AgentId agent) {
        return new Actor("agent:" + agent.value());
    }

    public static Actor person(String personId) {
        return new Actor("person:" + personId);
    }

    @Override
    public String toString() {
        return value;
    }
}
