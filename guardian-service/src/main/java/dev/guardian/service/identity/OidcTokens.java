package dev.guardian.service.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies JWT bearer tokens from the configured OIDC issuer and turns them into a person: signature
 * (RS256 or ES256 only, with a key from the issuer's JWKS, fetched over HTTP, cached and refetched
 * when a token names an unknown key), issuer, audience, expiry and not-before with 60 seconds of
 * clock skew on Guardian's clock. Roles come from a configured claim; the agent role is never granted
 * this way. Every failure is the same empty answer, which the API turns into the same 401 as an
 * unknown token.
 */
final class OidcTokens {
    private static final Logger log = LoggerFactory.getLogger(OidcTokens.class);
    static final int MAX_CLOCK_SKEW_SECONDS = 60;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final Pattern PERSON_ID = Pattern.compile("[A-Za-z0-9.@_-]{1,64}");
    private static final Pattern ROLE_SEPARATORS = Pattern.compile("[\\s,]+");
    private static final int JWKS_TIMEOUT_MILLIS = 5_000;
    private static final int JWKS_SIZE_LIMIT = 512 * 1024;

    private final IdentityProperties.Oidc settings;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    OidcTokens(IdentityProperties.Oidc settings, Clock clock) {
        this(settings, clock, remoteKeys(settings));
    }

    OidcTokens(IdentityProperties.Oidc settings, Clock clock, JWKSource<SecurityContext> keys) {
        settings.requireComplete();
        this.settings = settings;
        // RFC 9068 access tokens say "at+jwt"; ID tokens and most issuers' access tokens say "JWT" or nothing.
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        ClockedClaimsVerifier claims = new ClockedClaimsVerifier(
                settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("exp", "iss", "aud"),
                clock);
        claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static JWKSource<SecurityContext> remoteKeys(IdentityProperties.Oidc settings) {
        settings.requireComplete();
        try {
            return JWKSourceBuilder.<SecurityContext>create(
                            settings.jwksUri().toURL(),
                            new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("guardian.identity.oidc.jwks-uri is not a URL: " + settings.jwksUri());
        }
    }

    /** Whether this bearer token has the shape of a JWS (three base64url parts), so it is worth verifying as one. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The person this token names, with the roles it grants (possibly none), if it verifies. */
    Optional<Caller> authenticate(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(SignedJWT.parse(token), null);
        } catch (KeySourceException e) {
            log.warn("could not read the OIDC issuer's keys from {}: {}", settings.jwksUri(), e.getMessage());
            return Optional.empty();
        } catch (ParseException | BadJOSEException | JOSEException e) {
            log.debug("refused a JWT: {}", e.getMessage());
            return Optional.empty();
        }
        Object subject = claims.getClaim(settings.subjectClaim());
        if (!(subject instanceof String id) || !PERSON_ID.matcher(id).matches()) {
            log.debug(
                    "refused a JWT: its {} claim is not an id of 1-64 letters, digits or . @ _ -",
                    settings.subjectClaim());
            return Optional.empty();
        }
        return Optional.of(new Caller(id, Caller.Kind.PERSON, roles(claims)));
    }

    /** The roles named in the configured claim that Guardian knows, minus the agent role, which no JWT grants. */
    Set<Role> roles(JWTClaimsSet claims) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values(claim(claims.getClaims(), settings.rolesClaim()))) {
            String prefix = settings.rolePrefix();
            if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
                continue;
            }
            String name = value.substring(prefix.length()).toUpperCase(Locale.ROOT);
            for (Role role : Role.values()) {
                if (role != Role.AGENT && role.name().equals(name)) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }

    /**
     * The claim by its full name, or else by a dotted path into nested objects. The full name comes
     * first because namespaced claims (e.g. {@code https://example.com/roles}) contain dots themselves.
     */
    static Object claim(Map<String, Object> claims, String name) {
        if (claims.containsKey(name)) {
            return claims.get(name);
        }
        Object current = claims;
        for (String step : name.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }

    private static List<String> values(Object claim) {
        if (claim instanceof String text) {
            return List.of(ROLE_SEPARATORS.split(text.strip()));
        }
        if (claim instanceof Collection<?> collection) {
            return collection.stream()
                    .filter(String.class::isInstance)
                    .map(String.class::cast)
                    .map(String::strip)
                    .toList();
        }
        return List.of();
    }

    /** Nimbus's claim checks (issuer, audience, expiry, not-before, skew), on Guardian's clock instead of the system's. */
    private static final class ClockedClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final Clock clock;

        ClockedClaimsVerifier(String audience, JWTClaimsSet exactMatch, Set<String> required, Clock clock) {
            super(Set.of(audience), exactMatch, required, null);
            this.clock = clock;
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }
    }
}
