package dev.guardian.service.identity;

import dev.guardian.service.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/**
 * What the audit log records of people and of the credentials of people and agents. Never a token or
 * its hash: a credential is named by its id.
 */
final class IdentityEvents {
    private IdentityEvents() {}

    /** Whose credential: an agent or a person, by id. */
    public record Subject(String subjectKind, String subjectId) {
        public static Subject of(Caller.Kind kind, String id) {
            return new Subject(kind.name(), id);
        }
    }

    @AuditEvent.Name("credential-issued")
    public record CredentialIssued(String subjectKind, String subjectId, String credentialId, String label)
            implements AuditEvent {
        public CredentialIssued(Subject subject, String credentialId, String label) {
            this(subject.subjectKind(), subject.subjectId(), credentialId, label);
        }
    }

    /** The subject's tokens were revoked and a new one issued in the same transaction. */
    @AuditEvent.Name("credential-rotated")
    public record CredentialRotated(String subjectKind, String subjectId, String credentialId, List<String> revoked)
            implements AuditEvent {
        public CredentialRotated(Subject subject, String credentialId, List<String> revoked) {
            this(subject.subjectKind(), subject.subjectId(), credentialId, revoked);
        }
    }

    /** Tokens were revoked; {@code replacedBy} names the configured credential that replaced them, if any. */
    @AuditEvent.Name("credentials-revoked")
    public record CredentialsRevoked(
            String subjectKind, String subjectId, List<String> revoked, Optional<String> replacedBy)
            implements AuditEvent {
        public CredentialsRevoked(Subject subject, List<String> revoked, Optional<String> replacedBy) {
            this(subject.subjectKind(), subject.subjectId(), revoked, replacedBy);
        }
    }

    @AuditEvent.Name("person-created")
    public record PersonCreated(String person, String name, List<String> roles) implements AuditEvent {}

    /** A person's name or roles changed; {@code reason} says why when Guardian itself changed them. */
    @AuditEvent.Name("person-updated")
    public record PersonUpdated(
            String person, String name, List<String> roles, List<String> previousRoles, Optional<String> reason)
            implements AuditEvent {}

    @AuditEvent.Name("person-disabled")
    public record PersonDisabled(String person) implements AuditEvent {}
}
