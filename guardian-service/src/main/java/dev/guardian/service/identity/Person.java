package dev.guardian.service.identity;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A person as Guardian stores them: roles, who created them and when, whether they are disabled, and
 * what their active credentials are (labels and ids, never a token or a hash).
 */
public record Person(
        String id,
        String name,
        Set<Role> roles,
        OffsetDateTime createdAt,
        String createdBy,
        Optional<OffsetDateTime> disabledAt,
        List<Credentials.CredentialInfo> credentials) {

    public Person {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(disabledAt, "disabledAt");
        credentials = List.copyOf(credentials);
    }

    public boolean disabled() {
        return disabledAt.isPresent();
    }
}
