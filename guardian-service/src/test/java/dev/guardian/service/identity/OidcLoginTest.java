package dev.guardian.service.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.PlainJWT;
import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.MutableClock;
import dev.guardian.service.testsupport.PersonSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single sign-on on a real Guardian over real HTTP: JWTs from an issuer the test controls (its JWKS
 * served by a JDK HTTP server) are accepted as bearer tokens with roles from the configured claim, on
 * Guardian's own clock. Every token that does not verify gets exactly the 401 an unknown token gets.
 */
class OidcLoginTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final MutableClock CLOCK = MutableClock.startingNow();
    private static final PersonSpec ROOT = PersonSpec.person("root", Role.ADMIN);

    private static TestIssuer issuer;
    private static GuardianInstance guardian;
    private static Api api;

    @BeforeAll
    static void start() {
        issuer = new TestIssuer();
        Address usdc = CHAIN.devChain().deployTestUsdc();
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .clock(CLOCK)
                .person(ROOT)
                .property("guardian.identity.oidc.issuer", TestIssuer.ISSUER)
                .property("guardian.identity.oidc.jwks-uri", issuer.jwksUri())
                .property("guardian.identity.oidc.audience", TestIssuer.AUDIENCE)
                .property("guardian.identity.oidc.roles-claim", "realm_access.roles")
                .property("guardian.identity.oidc.role-prefix", "guardian-")
                .start();
        api = new Api(guardian.baseUrl());
    }

    @AfterAll
    static void stop() {
        guardian.close();
        issuer.close();
    }

    @Test
    void anApproversTokenListsApprovals() {
        String token = issuer.rs256(TestIssuer.claims(CLOCK.instant(), "olivia", "guardian-approver")
                .build());

        AgentClient.Response approvals = api.get(token, "/v1/approvals");

        assertThat(approvals.status()).isEqualTo(200);
        assertThat(approvals.body().isArray()).isTrue();
        assertThat(api.get(
                                issuer.es256(TestIssuer.claims(CLOCK.instant(), "olivia", "guardian-approver")
                                        .build()),
                                "/v1/approvals")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void tokensThatDoNotVerifyGetTheSame401AsAnUnknownToken() {
        String unknown = api.get(ApiKeys.generate(), "/v1/approvals").raw().body();
        Map<String, String> refused = Map.of(
                "expired",
                        issuer.rs256(TestIssuer.claims(
                                        CLOCK.instant().minus(Duration.ofMinutes(10)), "olivia", "guardian-approver")
                                .build()),
                "wrong issuer",
                        issuer.rs256(TestIssuer.claims(CLOCK.instant(), "olivia", "guardian-approver")
                                .issuer("https://evil.example.test")
                                .build()),
                "wrong audience",
                        issuer.rs256(TestIssuer.claims(CLOCK.instant(), "olivia", "guardian-approver")
                                .audience("other-app")
                                .build()),
                "other key",
                        TestIssuer.sign(
                                TestIssuer.newRsaKey("rsa-1"),
                                JWSAlgorithm.RS256,
                                TestIssuer.claims(CLOCK.instant(), "olivia", "guardian-approver")
                                        .build()),
                "alg none",
                        new PlainJWT(TestIssuer.claims(CLOCK.instant(), "olivia", "guardian-approver")
                                        .build())
                                .serialize());

        refused.forEach((what, token) -> {
            AgentClient.Response response = api.get(token, "/v1/approvals");
            assertThat(response.status()).as(what).isEqualTo(401);
            assertThat(response.raw().body()).as(what).isEqualTo(unknown);
        });
    }

    @Test
    void aTokenExpiresOnGuardiansClock() {
        String token = issuer.rs256(TestIssuer.claims(CLOCK.instant(), "olivia", "guardian-approver")
                .build());
        assertThat(api.get(token, "/v1/approvals").status()).isEqualTo(200);

        CLOCK.advance(Duration.ofMinutes(7));

        assertThat(api.get(token, "/v1/approvals").status()).isEqualTo(401);
    }

    @Test
    void aValidTokenWithoutRolesIsForbidden() {
        String token = issuer.rs256(TestIssuer.claims(CLOCK.instant(), "olivia", "approver", "guardian-unknown")
                .build());

        AgentClient.Response response = api.get(token, "/v1/approvals");

        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void theAgentRoleInATokenDoesNotMakeItsBearerAnAgent() {
        String token = issuer.rs256(TestIssuer.claims(CLOCK.instant(), "sneaky-bot", "guardian-agent")
                .build());

        assertThat(api.get(token, "/v1/wallet").status()).isEqualTo(403);
        assertThat(api.get(token, "/v1/budget").status()).isEqualTo(403);
        assertThat(api.post(
                                token,
                                "/v1/payments",
                                "{\"recipient\":\"0x0000000000000000000000000000000000000001\",\"amount\":\"1\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aPersonDisabledInGuardianCannotSignInWithAToken() {
        assertThat(api.post(
                                ROOT.token(),
                                "/v1/people",
                                "{\"id\": \"dora\", \"name\": \"Dora\", \"roles\": [\"approver\"]}")
                        .status())
                .isEqualTo(201);
        assertThat(api.post(ROOT.token(), "/v1/people/dora/disable", null).status())
                .isEqualTo(200);

        String token = issuer.rs256(
                TestIssuer.claims(CLOCK.instant(), "dora", "guardian-approver").build());

        assertThat(api.get(token, "/v1/approvals").status()).isEqualTo(401);
    }

    @Test
    void guardiansOwnTokensKeepWorkingBesideSingleSignOn() {
        assertThat(api.get(ROOT.token(), "/v1/people").status()).isEqualTo(200);
    }
}
