package dev.guardian.service.requests;

import dev.guardian.policy.Sha256;
import java.util.Map;

/**
 * What was asked for, as a request records it: its kind (the {@code kind} column, one of
 * {@link RequestKind}), a canonical text whose hash identifies its content, and a description in its
 * asker's terms. An agent's request ({@link AgentRequest}) and a person's treasury action
 * ({@link TreasuryAction}) are both described so.
 */
public interface RequestDescription {

    String kind();

    String canonicalText();

    /** Identifies the request's content, so a reused idempotency key with a different body is caught. */
    default byte[] fingerprint() {
        return Sha256.hash(canonicalText());
    }

    /** What was asked for, in the asker's own terms (whole units, checksummed addresses), for people to read. */
    Map<String, String> describe();
}
