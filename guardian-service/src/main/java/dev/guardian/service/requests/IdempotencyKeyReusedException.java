package dev.guardian.service.requests;

import java.util.UUID;

/** The agent reused an idempotency key for a request with a different body: refused, nothing done. */
public class IdempotencyKeyReusedException extends RuntimeException {
    private final UUID originalRequest;

    IdempotencyKeyReusedException(String key, UUID originalRequest) {
        super("idempotency key '" + key + "' was already used for request " + originalRequest
                + " with a different body; use a new key for a new request");
        this.originalRequest = originalRequest;
    }

    public UUID originalRequest() {
        return originalRequest;
    }
}
