package dev.guardian.service.identity;

import java.util.Objects;
import java.util.UUID;

/**
 * A freshly issued bearer token and the id of its credential. The token is shown to its owner once and
 * stored nowhere (only its SHA-256 is); {@link #toString()} leaves it out so a log line cannot leak it.
 */
public record IssuedToken(UUID credentialId, String token) {
    public IssuedToken {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "IssuedToken[credentialId=" + credentialId + ", token=redacted]";
    }
}
