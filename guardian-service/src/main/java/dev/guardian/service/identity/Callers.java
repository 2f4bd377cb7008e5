package dev.guardian.service.identity;

import java.util.Optional;

/**
 * Turns a bearer token into a {@link Caller}: a JWT from the configured OIDC issuer, or else one of
 * Guardian's own tokens (an agent's or a person's, looked up by hash on every call, so revocation
 * takes effect at once). A person disabled in Guardian is refused whichever way they sign in.
 */
public class Callers {
    /** Larger than any JWT an issuer sends in practice, small enough not to parse arbitrary garbage. */
    private static final int MAX_JWT_LENGTH = 16_384;

    private final Credentials credentials;
    private final Optional<OidcTokens> oidc;
    private final People people;
    private final InitialAdmin initialAdmin;

    Callers(Credentials credentials, Optional<OidcTokens> oidc, People people, InitialAdmin initialAdmin) {
        this.credentials = credentials;
        this.oidc = oidc;
        this.people = people;
        this.initialAdmin = initialAdmin;
    }

    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        if (oidc.isPresent() && OidcTokens.looksLikeJwt(token)) {
            if (token.length() > MAX_JWT_LENGTH) {
                return Optional.empty();
            }
            return oidc.get().authenticate(token).filter(person -> !people.isDisabled(person.id()));
        }
        Optional<Credentials.Authenticated> found = credentials.lookup(token);
        found.filter(authenticated -> Credentials.INITIAL_ADMIN_LABEL.equals(authenticated.label()))
                .ifPresent(authenticated -> initialAdmin.tokenUsed());
        return found.map(Credentials.Authenticated::caller);
    }
}
