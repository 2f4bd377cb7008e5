package dev.guardian.service.requests;

/** The request as it stands after handling, and whether it is the stored answer to a retried idempotency key. */
public record RequestOutcome(StoredRequest request, boolean replayed) {}
