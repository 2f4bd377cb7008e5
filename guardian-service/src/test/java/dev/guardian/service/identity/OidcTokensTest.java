package dev.guardian.service.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JWT verification against a JWKS served over real HTTP by an issuer the test controls, on a clock the
 * test fixes: what is accepted, what is refused (always the same empty answer), which roles a token
 * grants, and how the keys are fetched and refetched.
 */
class OidcTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private TestIssuer issuer;
    private OidcTokens tokens;

    @BeforeEach
    void start() {
        issuer = new TestIssuer();
        tokens = new OidcTokens(settings("realm_access.roles", "sub", "guardian-"), CLOCK);
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void acceptsRs256AndEs256TokensAsThePersonTheyName() {
        JWTClaimsSet claims = TestIssuer.claims(NOW, "olivia@example.com", "guardian-approver", "guardian-AUDITOR")
                .build();

        Caller expected = new Caller("olivia@example.com", Caller.Kind.PERSON, Set.of(Role.APPROVER, Role.AUDITOR));
        assertThat(tokens.authenticate(issuer.rs256(claims))).contains(expected);
        assertThat(tokens.authenticate(issuer.es256(claims))).contains(expected);
    }

    static List<Arguments> refusedTokens() {
        return List.<Arguments>of(
                refused(
                        "expired beyond the skew",
                        (issuer) -> issuer.rs256(TestIssuer.claims(NOW.minusSeconds(400), "olivia", "guardian-approver")
                                .build())),
                refused(
                        "not yet valid beyond the skew",
                        (issuer) -> issuer.rs256(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                .notBeforeTime(Date.from(NOW.plusSeconds(90)))
                                .build())),
                refused(
                        "without expiry",
                        (issuer) -> issuer.rs256(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                .expirationTime(null)
                                .build())),
                refused(
                        "wrong issuer",
                        (issuer) -> issuer.rs256(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                .issuer("https://evil.example.test")
                                .build())),
                refused(
                        "wrong audience",
                        (issuer) -> issuer.rs256(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                .audience("another-app")
                                .build())),
                refused(
                        "other key under a published kid",
                        (issuer) -> TestIssuer.sign(
                                TestIssuer.newRsaKey("rsa-1"),
                                JWSAlgorithm.RS256,
                                TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                        .build())),
                refused(
                        "other key under an unknown kid",
                        (issuer) -> TestIssuer.sign(
                                TestIssuer.newRsaKey("rsa-9"),
                                JWSAlgorithm.RS256,
                                TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                        .build())),
                refused(
                        "alg none",
                        (issuer) -> new PlainJWT(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                        .build())
                                .serialize()),
                refused(
                        "HS256 with a shared secret",
                        (issuer) -> hs256(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                .build())),
                refused(
                        "RS384, not an allowed algorithm",
                        (issuer) -> TestIssuer.sign(
                                issuer.rsa(),
                                JWSAlgorithm.RS384,
                                TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                        .build())),
                refused(
                        "typ that is not a JWT",
                        (issuer) -> TestIssuer.sign(
                                issuer.rsa(),
                                JWSAlgorithm.RS256,
                                TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                        .build(),
                                h -> h.type(new JOSEObjectType("logout+jwt")))),
                refused(
                        "subject outside the id form",
                        (issuer) -> issuer.rs256(TestIssuer.claims(NOW, "olivia smith", "guardian-approver")
                                .build())),
                refused(
                        "no subject",
                        (issuer) -> issuer.rs256(TestIssuer.claims(NOW, null, "guardian-approver")
                                .build())),
                refused("tampered payload", (issuer) -> {
                    String[] parts = issuer.rs256(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                                    .build())
                            .split("\\.");
                    String admin = issuer.rs256(TestIssuer.claims(NOW, "olivia", "guardian-admin")
                                    .build())
                            .split("\\.")[1];
                    return parts[0] + "." + admin + "." + parts[2];
                }),
                refused("not a JWT at all", (issuer) -> "a.b.c"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusesEveryTokenThatDoesNotVerify(String what, Function<TestIssuer, String> token) {
        assertThat(tokens.authenticate(token.apply(issuer))).as(what).isEmpty();
    }

    @Test
    void allowsSixtySecondsOfClockSkewEitherWay() {
        String expiredJustNow = issuer.rs256(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                .expirationTime(Date.from(NOW.minusSeconds(50)))
                .build());
        String validInAMoment = issuer.rs256(TestIssuer.claims(NOW, "olivia", "guardian-approver")
                .notBeforeTime(Date.from(NOW.plusSeconds(50)))
                .build());

        assertThat(tokens.authenticate(expiredJustNow)).isPresent();
        assertThat(tokens.authenticate(validInAMoment)).isPresent();
    }

    @Test
    void grantsOnlyKnownPrefixedRolesAndNeverTheAgentRole() {
        JWTClaimsSet claims = TestIssuer.claims(
                        NOW,
                        "olivia",
                        "guardian-agent",
                        "approver",
                        "guardian-superuser",
                        "other-admin",
                        "GUARDIAN-Treasury")
                .build();

        assertThat(tokens.authenticate(issuer.rs256(claims))).map(Caller::roles).contains(Set.of(Role.TREASURY));
    }

    @Test
    void aTokenWithoutRolesStillNamesItsPersonWithNoRoles() {
        assertThat(tokens.authenticate(
                        issuer.rs256(TestIssuer.claims(NOW, "olivia").build())))
                .contains(new Caller("olivia", Caller.Kind.PERSON, Set.of()));
    }

    @Test
    void readsRolesFromANamespacedClaimAStringOrAnotherSubjectClaim() {
        OidcTokens namespaced = new OidcTokens(settings("https://guardian.example/roles", "email", ""), CLOCK);
        JWTClaimsSet claims = TestIssuer.claims(NOW, "00u1a2b3")
                .claim("email", "olivia@example.com")
                .claim("https://guardian.example/roles", "approver auditor")
                .build();

        assertThat(namespaced.authenticate(issuer.rs256(claims)))
                .contains(new Caller("olivia@example.com", Caller.Kind.PERSON, Set.of(Role.APPROVER, Role.AUDITOR)));
    }

    @Test
    void fetchesTheKeysOnceAndAgainOnlyWhenATokenNamesAnUnknownKey() {
        assertThat(tokens.authenticate(issuer.rs256(
                        TestIssuer.claims(NOW, "olivia", "guardian-approver").build())))
                .isPresent();
        assertThat(tokens.authenticate(issuer.es256(
                        TestIssuer.claims(NOW, "olivia", "guardian-approver").build())))
                .isPresent();
        assertThat(issuer.fetches()).isEqualTo(1);

        RSAKey rotated = TestIssuer.newRsaKey("rsa-2");
        issuer.publish(rotated);

        assertThat(tokens.authenticate(TestIssuer.sign(
                        rotated,
                        JWSAlgorithm.RS256,
                        TestIssuer.claims(NOW, "olivia", "guardian-approver").build())))
                .isPresent();
        assertThat(issuer.fetches()).isEqualTo(2);
    }

    @Test
    void refusesTokensWhileTheIssuersKeysCannotBeFetched() {
        String token = issuer.rs256(
                TestIssuer.claims(NOW, "olivia", "guardian-approver").build());
        issuer.close();

        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void anIssuerWithoutKeysOrAudienceFailsStartNamingTheProperty() {
        assertThatThrownBy(() -> new OidcTokens(
                        new IdentityProperties.Oidc(TestIssuer.ISSUER, null, TestIssuer.AUDIENCE, "roles", "sub", ""),
                        CLOCK))
                .hasMessageContaining("guardian.identity.oidc.jwks-uri");
        assertThatThrownBy(() -> new OidcTokens(
                        new IdentityProperties.Oidc(TestIssuer.ISSUER, issuer.jwksUri(), " ", "roles", "sub", ""),
                        CLOCK))
                .hasMessageContaining("guardian.identity.oidc.audience");
        assertThatThrownBy(() -> new OidcTokens(
                        new IdentityProperties.Oidc(
                                TestIssuer.ISSUER,
                                URI.create("file:///etc/keys"),
                                TestIssuer.AUDIENCE,
                                "roles",
                                "sub",
                                ""),
                        CLOCK))
                .hasMessageContaining("guardian.identity.oidc.jwks-uri");
    }

    @Test
    void findsClaimsByFullNameBeforeDottedPath() {
        Map<String, Object> claims =
                Map.of("a.b", "whole", "a", Map.of("b", "nested"), "x", Map.of("y", Map.of("z", List.of("deep"))));

        assertThat(OidcTokens.claim(claims, "a.b")).isEqualTo("whole");
        assertThat(OidcTokens.claim(claims, "x.y.z")).isEqualTo(List.of("deep"));
        assertThat(OidcTokens.claim(claims, "x.missing.z")).isNull();
        assertThat(Optional.ofNullable(OidcTokens.claim(claims, "a.b.c"))).isEmpty();
    }

    private IdentityProperties.Oidc settings(String rolesClaim, String subjectClaim, String prefix) {
        return new IdentityProperties.Oidc(
                TestIssuer.ISSUER, issuer.jwksUri(), TestIssuer.AUDIENCE, rolesClaim, subjectClaim, prefix);
    }

    private static Arguments refused(String what, Function<TestIssuer, String> token) {
        return Arguments.of(what, token);
    }

    private static String hs256(JWTClaimsSet claims) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
