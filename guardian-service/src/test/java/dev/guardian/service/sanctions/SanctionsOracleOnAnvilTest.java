package dev.guardian.service.sanctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainRequestFailedException;
import dev.guardian.service.chain.ChainResilienceSettings;
import dev.guardian.service.chain.ChainUnavailableException;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.MutableClock;
import dev.guardian.service.testsupport.TcpProxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;

/**
 * The on-chain oracle, asked through the real chain adapter of a contract with Chainalysis' interface
 * deployed on Anvil: what it lists and delists, an address with no oracle behind it, and an oracle that
 * cannot be reached (a {@link TcpProxy} cut off between Guardian and the node), which fails closed.
 */
class SanctionsOracleOnAnvilTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    /** Chainalysis' own documentation vectors. */
    private static final Address LISTED = Address.parse("0x7F367cC41522cE07553e823bf3be79A889DEbe1B");

    private static final Address CLEAN = Address.parse("0x7f268357A8c2552623316e2562D90e642bB538E5");

    private static Address oracle;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @TempDir
    Path folder;

    @BeforeAll
    static void deployOracle() {
        DevChain dev = CHAIN.devChain();
        oracle = dev.deploySanctionsOracle();
        dev.addToSanctionsOracle(oracle, LISTED);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void answersWhatTheOracleListsAndStopsAnsweringItOnceDelisted() {
        ChainAdapter chain = adapter(CHAIN.anvil().rpcUrl(), 3);
        Address delisted = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        CHAIN.devChain().addToSanctionsOracle(oracle, delisted);

        assertThat(chain.isSanctioned(oracle, LISTED)).isTrue();
        assertThat(chain.isSanctioned(oracle, CLEAN)).isFalse();
        assertThat(chain.isSanctioned(oracle, delisted)).isTrue();

        CHAIN.devChain().removeFromSanctionsOracle(oracle, delisted);

        assertThat(chain.isSanctioned(oracle, delisted)).isFalse();
    }

    @Test
    void anAddressWithoutAnOracleIsAConfigurationErrorNotAnAnswer() {
        ChainAdapter chain = adapter(CHAIN.anvil().rpcUrl(), 3);
        Address nothingDeployed = CHAIN.devChain().devAccounts().get(5);

        assertThatThrownBy(() -> chain.isSanctioned(nothingDeployed, LISTED))
                .isInstanceOf(ChainRequestFailedException.class)
                .hasMessageContaining("is there an oracle at that address on chain 31337");
        assertThat(chain.circuitBreaker().getMetrics().getNumberOfFailedCalls())
                .as("a wrong address is not an outage of the chain")
                .isZero();
    }

    @Test
    void anUnreachableOracleMakesScreeningNotCurrentAndItRecoversWithTheChain() throws Exception {
        TcpProxy proxy = TcpProxy.to(CHAIN.anvil().port());
        resources.add(proxy);
        ChainAdapter chain = adapter(proxy.httpUri(), 1);
        Path list = Files.writeString(folder.resolve("list.txt"), CLEAN + "\n");
        MutableClock clock = MutableClock.startingNow();
        SanctionsScreening screening = new SanctionsScreening(
                List.of(new SourceSpec(
                        "list",
                        new ListLocation.LocalFile(list),
                        ListFormat.TEXT,
                        Optional.of(LocalDate.now(clock)),
                        Optional.of(Duration.ofDays(7)),
                        Duration.ofHours(6))),
                List.of(),
                Optional.of(SanctionsOracle.onChain(chain, oracle)),
                new SanctionsScreening.Settings(0.25, Verdict.DENY),
                FetchSettings.defaults(),
                new RecordingEvents(),
                clock);
        screening.start();

        ScreeningResult reachable = screening.screen(Set.of(LISTED, CLEAN));
        assertThat(reachable.hits()).containsExactlyInAnyOrder(LISTED, CLEAN);
        assertThat(reachable.notCurrent()).isEmpty();
        assertThat(reachable.versions()).contains("oracle " + oracle + " on chain 31337");

        proxy.cutOff();
        ScreeningResult unreachable =
                screening.screen(Set.of(Address.parse("0x983a81ca6FB1e441266D2FbcB7D8E530AC2E05A2")));

        assertThat(unreachable.notCurrent()).hasValueSatisfying(notCurrent -> {
            assertThat(notCurrent.verdict()).isEqualTo(Verdict.DENY);
            assertThat(notCurrent.problems())
                    .singleElement()
                    .asString()
                    .contains("could not be asked")
                    .contains("eth_call");
        });
        assertThat(screening.status().current()).isFalse();
        assertThatThrownBy(() -> chain.isSanctioned(oracle, CLEAN)).isInstanceOf(ChainUnavailableException.class);

        proxy.restore();
        // The adapter's circuit (open for 300 ms of real time) lets calls through again soon after.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> screening.screen(Set.of(LISTED)).notCurrent().isEmpty());
        assertThat(screening.status().current()).isTrue();
    }

    private ChainAdapter adapter(URI rpcUrl, int readAttempts) {
        ChainResilienceSettings settings = new ChainResilienceSettings(
                Duration.ofSeconds(1), readAttempts, Duration.ofMillis(20), 50f, 4, 2, Duration.ofMillis(300), 8);
        Web3j web3j = ChainAdapter.connect(rpcUrl, settings.callTimeout());
        resources.add(web3j::shutdown);
        return new ChainAdapter(web3j, new ChainId(31337), new AssetRegistry(Asset.ether(), List.of()), settings);
    }
}
