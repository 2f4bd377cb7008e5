package dev.guardian.service.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A configured agent's policy becomes a version at start: once, however many instances start together,
 * and never again while the configuration says the same, so a restart does not undo what a treasury team
 * activated through the API. A changed configuration does become the active version.
 */
class PolicySeedingTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);

    @Test
    void configurationSeedsOneVersionAndARestartKeepsTheVersionTheTeamActivated() throws Exception {
        AgentSpec seeded = AgentSpec.agent("seeded").perTransactionCap("100").budget("500", Duration.ofHours(24));
        String kek = GuardianInstance.newKek();
        Address usdc = CHAIN.devChain().deployTestUsdc();
        try (TestDatabase database = TestDatabase.start()) {
            CompletableFuture<GuardianInstance> first =
                    CompletableFuture.supplyAsync(() -> start(database, kek, usdc, seeded));
            CompletableFuture<GuardianInstance> second =
                    CompletableFuture.supplyAsync(() -> start(database, kek, usdc, seeded));
            try (GuardianInstance one = first.get();
                    GuardianInstance two = second.get()) {
                assertThat(versions(database)).containsExactly(tuple(1, "configuration"));
                assertThat(active(database)).isEqualTo(1);

                // Created through one instance, activated through the other: one deployment.
                AgentClient.Response created = one.client(TREASURER)
                        .send(
                                "POST",
                                "/v1/agents/seeded/policies?comment=team",
                                "{\"perTransaction\": {\"USDC\": {\"escalateAbove\": \"10\"}}, \"budgets\": [{\"asset\": \"USDC\", \"limit\": \"50\", \"window\": \"24h\"}]}");
                assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
                assertThat(two.client(TREASURER)
                                .post(
                                        "/v1/agents/seeded/policies/2/activate",
                                        "{\"comment\": \"team\"}",
                                        Optional.empty())
                                .status())
                        .isEqualTo(200);
            }

            try (GuardianInstance restarted = start(database, kek, usdc, seeded)) {
                assertThat(restarted.bean(PolicyVersions.class).activeVersion(new AgentId("seeded")))
                        .as("the team's version survives a restart")
                        .hasValue(2);
                assertThat(versions(database)).hasSize(2);
            }

            seeded.budget("400", Duration.ofHours(24));
            try (GuardianInstance reconfigured = start(database, kek, usdc, seeded)) {
                assertThat(versions(database))
                        .containsExactly(tuple(1, "configuration"), tuple(2, "person:tess"), tuple(3, "configuration"));
                assertThat(active(database))
                        .as("a changed configuration is applied")
                        .isEqualTo(3);
                assertThat(reconfigured
                                .bean(PolicyVersions.class)
                                .activePolicy(new AgentId("seeded"))
                                .budgets()
                                .getFirst()
                                .limit()
                                .toDecimalString())
                        .isEqualTo("400");
            }
        }
    }

    private static GuardianInstance start(TestDatabase database, String kek, Address usdc, AgentSpec agent) {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .kek(kek)
                .person(TREASURER)
                .agent(agent)
                .start();
    }

    private static List<Tuple> versions(TestDatabase database) {
        return jdbc(database)
                .sql("select version, created_by from policy_versions where agent_id = 'seeded' order by version")
                .query((rs, n) -> tuple(rs.getInt(1), rs.getString(2)))
                .list();
    }

    private static int active(TestDatabase database) {
        return jdbc(database)
                .sql("select policy_version from agents where id = 'seeded'")
                .query(Integer.class)
                .single();
    }

    private static JdbcClient jdbc(TestDatabase database) {
        return database.jdbc();
    }
}
