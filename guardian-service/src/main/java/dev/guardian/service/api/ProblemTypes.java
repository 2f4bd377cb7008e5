package dev.guardian.service.api;

import java.net.URI;

/** The stable {@code type} URIs of Guardian's problem documents. Agents branch on these; never change one. */
public final class ProblemTypes {
    private static final String BASE = "https://guardian.dev/problems/";

    public static final URI POLICY_DENIED = URI.create(BASE + "policy-denied");
    public static final URI SIMULATION_REVERTED = URI.create(BASE + "simulation-reverted");
    public static final URI VALIDATION_FAILED = URI.create(BASE + "validation-failed");
    public static final URI MALFORMED_REQUEST = URI.create(BASE + "malformed-request");
    public static final URI UNAUTHENTICATED = URI.create(BASE + "unauthenticated");
    public static final URI FORBIDDEN = URI.create(BASE + "forbidden");
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");
    public static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");
    public static final URI APPROVAL_NOT_POSSIBLE = URI.create(BASE + "approval-not-possible");
    public static final URI CHAIN_UNAVAILABLE = URI.create(BASE + "chain-unavailable");
    /** Guardian's own database could not be reached or did not answer in time: retry later, with the same key. */
    public static final URI DATABASE_UNAVAILABLE = URI.create(BASE + "database-unavailable");

    public static final URI TOO_MANY_REQUESTS = URI.create(BASE + "too-many-requests");
    /** A treasury action the treasury check refused: its simulated effects are not only what it says. */
    public static final URI TREASURY_ACTION_REFUSED = URI.create(BASE + "treasury-action-refused");
    /** The base of 409 problems; the last segment names what conflicted, e.g. {@code conflict/agent-retired}. */
    public static final URI CONFLICT = URI.create(BASE + "conflict/");

    public static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");

    private ProblemTypes() {}
}
