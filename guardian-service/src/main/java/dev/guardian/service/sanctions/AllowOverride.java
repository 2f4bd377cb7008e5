package dev.guardian.service.sanctions;

import dev.guardian.policy.Address;
import java.util.Objects;

/**
 * An address that a list names but that the treasury has established is not the sanctioned party (a
 * false positive), with the reason and who decided it. Configured, so every change goes through the
 * deployment's change control; recorded in the audit log at start and in every decision it affects.
 */
public record AllowOverride(Address address, String reason, String decidedBy) {
    public AllowOverride {
        Objects.requireNonNull(address, "address");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an override needs the reason it is not the sanctioned party");
        }
        if (decidedBy == null || decidedBy.isBlank()) {
            throw new IllegalArgumentException("an override needs who decided it");
        }
        reason = reason.strip();
        decidedBy = decidedBy.strip();
    }
}
