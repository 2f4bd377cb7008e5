package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.service.testsupport.TypedDataJsons;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two Guardian instances on one database share one relayer, and both watchers race to cancel every outstanding
 * authorization once the kill switch is engaged: each authorization is cancelled once, and the relayer's
 * transactions take distinct nonces, one after the other from 0, all mined: the nonce row lock serialises the
 * relayer across instances exactly as it does a wallet.
 */
class RelayerAcrossInstancesTest {
    private static final int AGENTS = 6;

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Address SHOP = TestAddresses.fresh();
    private static final List<AgentSpec> SPECS = IntStream.range(0, AGENTS)
            .mapToObj(i -> AgentSpec.agent("shared-relayer-" + i)
                    .perTransactionCap("100")
                    .allow(SHOP))
            .toList();

    private static TestDatabase database;
    private static GuardianInstance first;
    private static GuardianInstance second;
    private static DevChain chain;
    private static Address usdc;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        database = TestDatabase.start();
        String kek = GuardianInstance.newKek();
        first = instance(kek);
        second = instance(kek);
        for (AgentSpec agent : SPECS) {
            chain.mintUsdc(usdc, first.walletOf(agent), TokenAmount.parse(DevChain.usdcAsset(usdc), "100"));
        }
        chain.setEthBalance(first.relayer(), TokenAmount.parse(Asset.ether(), "1"));
    }

    private static GuardianInstance instance(String kek) {
        GuardianInstance.Builder builder = GuardianInstance.builder(
                        CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .kek(kek)
                .property("guardian.worker.authorization-watch-interval", "200ms");
        SPECS.forEach(builder::agent);
        return builder.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (GuardianInstance instance : new GuardianInstance[] {first, second}) {
            if (instance != null) {
                instance.close();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void bothInstancesCancelEveryAuthorizationOnceWithDistinctRelayerNonces() {
        assertThat(second.relayer()).isEqualTo(first.relayer());
        String domain = TypedDataJsons.domain(TypedDataJsons.TOKEN_NAME, chain.chainId(), usdc);
        List<String> authorizations = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            AgentSpec agent = SPECS.get(i);
            GuardianInstance via = i % 2 == 0 ? first : second;
            AgentClient.Response answer = via.client(agent)
                    .post(
                            "/v1/typed-data-signatures",
                            TypedDataJsons.transferWithAuthorization(
                                    domain,
                                    via.walletOf(agent),
                                    SHOP,
                                    TokenAmount.parse(DevChain.usdcAsset(usdc), "2")
                                            .units(),
                                    0,
                                    Instant.now().getEpochSecond() + 300,
                                    TypedDataJsons.randomNonce()),
                            Optional.empty());
            assertThat(answer.text("status")).as(answer.raw().body()).isEqualTo("AUTHORIZED");
            authorizations.add(answer.text("id"));
        }
        KillSwitch killSwitch = first.bean(KillSwitch.class);

        killSwitch.set(true, "incident drill", Actor.person("treasurer"));
        try {
            for (int i = 0; i < AGENTS; i++) {
                GuardianInstance via = i % 2 == 0 ? second : first;
                via.client(SPECS.get(i)).awaitStatus(authorizations.get(i), Duration.ofSeconds(60), "FAILED");
            }
        } finally {
            killSwitch.set(false, "drill over", Actor.person("treasurer"));
        }

        JdbcClient jdbc = database.jdbc();
        List<Long> nonces = jdbc.sql("""
                        select nonce from requests
                        where relayer = 'default' and status = 'CONFIRMED' order by nonce
                        """).query(Long.class).list();
        assertThat(nonces).containsExactlyElementsOf(zeroTo(AGENTS));
        assertThat(jdbc.sql("select count(*) from requests where relayer = 'default' and status <> 'CONFIRMED'")
                        .query(Long.class)
                        .single())
                .as("no cancellation failed, was denied or lost a race on a nonce")
                .isZero();
        assertThat(first.bean(ChainAdapter.class).confirmedNonce(first.relayer()))
                .isEqualTo(AGENTS);
        assertThat(jdbc.sql("select next_nonce from nonces where address = :address")
                        .param("address", first.relayer().toBytes())
                        .query(Long.class)
                        .single())
                .isEqualTo(AGENTS);
    }

    /** 0, 1, ... n - 1. */
    private static List<Long> zeroTo(int n) {
        return IntStream.range(0, n).mapToObj(i -> (long) i).toList();
    }
}
