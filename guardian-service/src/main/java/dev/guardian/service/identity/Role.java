package dev.guardian.service.identity;

/** What a caller may do. A person may hold several roles; an agent holds only {@link #AGENT}. */
public enum Role {
    ADMIN,
    TREASURY,
    APPROVER,
    AUDITOR,
    AGENT
}
