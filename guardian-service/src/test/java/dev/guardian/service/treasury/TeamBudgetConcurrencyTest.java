package dev.guardian.service.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A team budget that several agents draw from holds under concurrency: two agents, each with a generous
 * budget of its own, pay at once through two Guardian instances on one database, and the team's shared
 * budget is never exceeded; what the team allowed is exactly what left the wallets on chain.
 */
class TeamBudgetConcurrencyTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("team-treasurer", Role.TREASURY);
    private static final AgentSpec RESEARCH_ONE =
            AgentSpec.agent("research-one").perTransactionCap("1000").budget("1000", Duration.ofHours(24));
    private static final AgentSpec RESEARCH_TWO =
            AgentSpec.agent("research-two").perTransactionCap("1000").budget("1000", Duration.ofHours(24));

    private static TestDatabase database;
    private static GuardianInstance first;
    private static GuardianInstance second;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(7);
        database = TestDatabase.start();
        String kek = GuardianInstance.newKek();
        first = instance(kek);
        second = instance(kek);
        for (AgentSpec agent : List.of(RESEARCH_ONE, RESEARCH_TWO)) {
            Address wallet = first.walletOf(agent);
            chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "500"));
            chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
        }
    }

    private static GuardianInstance instance(String kek) {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .kek(kek)
                .agent(RESEARCH_ONE.allow(merchant))
                .agent(RESEARCH_TWO.allow(merchant))
                .person(TREASURER)
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        second.close();
        first.close();
        database.close();
    }

    @Test
    void twentyConcurrentPaymentsFromTwoAgentsOnTwoInstancesNeverExceedTheTeamBudget() throws Exception {
        AgentClient treasury = first.client(TREASURER);
        AgentClient.Response team = treasury.send("PUT", "/v1/teams/research", """
                {"name": "Research", "budgets": [{"asset": "USDC", "limit": "100", "window": "24h"}]}
                """);
        assertThat(team.status()).as(team.raw().body()).isEqualTo(200);
        for (AgentSpec agent : List.of(RESEARCH_ONE, RESEARCH_TWO)) {
            AgentClient.Response joined =
                    treasury.send("PUT", "/v1/agents/" + agent.id() + "/team", "{\"team\":\"research\"}");
            assertThat(joined.status()).as(joined.raw().body()).isEqualTo(200);
        }
        TokenAmount before = balances();

        List<AgentClient.Response> answers = payAtOnce(20, "15");

        List<AgentClient.Response> accepted =
                answers.stream().filter(a -> a.status() == 202).toList();
        List<AgentClient.Response> denied =
                answers.stream().filter(a -> a.status() == 403).toList();
        assertThat(accepted).as("6 x 15 = 90 fits in 100, a seventh does not").hasSize(6);
        assertThat(denied)
                .hasSize(14)
                .allSatisfy(d -> assertThat(d.raw().body()).contains("budget.team"));
        for (AgentClient.Response answer : accepted) {
            String id = answer.text("id");
            AgentClient owner = new AgentClient(first.baseUrl(), ownerKey(id));
            owner.awaitStatus(id, Duration.ofSeconds(30), "CONFIRMED");
        }
        assertThat(before.minus(balances()))
                .as("moved on chain")
                .isEqualTo(TokenAmount.parse(DevChain.usdcAsset(usdc), "90"));
        JdbcClient jdbc = first.bean(JdbcClient.class);
        assertThat(jdbc.sql("select distinct team_id || '@' || team_version from requests where team_id is not null")
                        .query(String.class)
                        .list())
                .containsExactly("research@1");
        assertThat(jdbc.sql(
                                "select actor from audit_log where event in ('team-created', 'agent-team-changed') order by seq")
                        .query(String.class)
                        .list())
                .containsExactly("person:team-treasurer", "person:team-treasurer", "person:team-treasurer");
        AgentClient.Response report = new AgentClient(first.baseUrl(), RESEARCH_ONE.apiKey()).budget();
        assertThat(report.body()
                        .get("team")
                        .get("budgets")
                        .get(0)
                        .get("remaining")
                        .asString())
                .isEqualTo("10");
    }

    /** Payments released together, alternating between the two agents and the two instances. */
    private static List<AgentClient.Response> payAtOnce(int count, String amount) {
        return Concurrently.run(count, i -> {
            GuardianInstance instance = i % 2 == 0 ? first : second;
            AgentSpec agent = (i / 2) % 2 == 0 ? RESEARCH_ONE : RESEARCH_TWO;
            return new AgentClient(instance.baseUrl(), agent.apiKey())
                    .pay(merchant.toString(), amount, Optional.empty());
        });
    }

    private static String ownerKey(String requestId) {
        String agent = first.bean(JdbcClient.class)
                .sql("select agent_id from requests where id = cast(:id as uuid)")
                .param("id", requestId)
                .query(String.class)
                .single();
        return agent.equals(RESEARCH_ONE.id()) ? RESEARCH_ONE.apiKey() : RESEARCH_TWO.apiKey();
    }

    private static TokenAmount balances() {
        return chain.usdcBalance(usdc, first.walletOf(RESEARCH_ONE))
                .plus(chain.usdcBalance(usdc, first.walletOf(RESEARCH_TWO)));
    }
}
