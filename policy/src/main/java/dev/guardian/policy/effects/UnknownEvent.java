package dev.guardian.policy.effects;

import dev.guardian.policy.Address;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A log the decoder does not understand: its signature ({@code topic0}, as 0x hex) is no event Guardian
 * reads value movements from. {@code depth} is how deep in the call tree its emitter ran: 1 for the
 * contract the wallet called directly, whose events say what the call did to the wallet.
 */
public record UnknownEvent(Address emitter, String topic0, int depth) implements Effect {
    private static final Pattern TOPIC = Pattern.compile("0x[0-9a-f]{64}");

    public UnknownEvent {
        Objects.requireNonNull(emitter, "emitter");
        if (topic0 == null || !TOPIC.matcher(topic0).matches()) {
            throw new IllegalArgumentException("an event signature is 0x and 64 lower case hex digits");
        }
        if (depth < 1) {
            throw new IllegalArgumentException("an event is emitted at depth 1 or more");
        }
    }

    /** Whether the contract the wallet called emitted it. */
    public boolean fromDirectCallee() {
        return depth == 1;
    }
}
