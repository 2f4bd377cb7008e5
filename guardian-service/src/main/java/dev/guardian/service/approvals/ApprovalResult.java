package dev.guardian.service.approvals;

import dev.guardian.service.requests.StoredRequest;

/** What an approve or reject call did. */
public sealed interface ApprovalResult {
    StoredRequest request();

    /** Counted; more approvals are needed. */
    record Recorded(StoredRequest request, int approvals, int required) implements ApprovalResult {}

    /** The quorum is reached and the re-check passed: the request is signed and submitted. */
    record Approved(StoredRequest request) implements ApprovalResult {}

    /** The quorum is reached but the world moved: the re-check failed and nothing was signed. */
    record RecheckFailed(StoredRequest request) implements ApprovalResult {}

    /** Rejected by this approver: final, nothing signed. */
    record Rejected(StoredRequest request) implements ApprovalResult {}

    /** The deadline had passed: the request is expired now, nothing signed. */
    record Expired(StoredRequest request) implements ApprovalResult {}
}
