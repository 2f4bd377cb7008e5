package dev.guardian.e2e.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.WalletFunding;
import dev.guardian.verifier.AuditPublicKey;
import dev.guardian.verifier.ExportVerifier;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * One deployment of Guardian as the fault tests run it: its own database (owned by the schema owner, used
 * by the restricted application role, as docs/operations.md sets them up) on an {@link ExternalPostgres},
 * a fresh test USDC on a {@link RestartableChain}, one or more {@link GuardianProcess}es with the same
 * configuration and KEK, agents with funded wallets, and an auditor.
 */
final class Deployment implements AutoCloseable {
    static final String OWNER = "guardian_owner";
    static final String APPLICATION = "guardian";
    static final String OWNER_PASSWORD = "owner-" + GuardianInstance.newKek().substring(0, 12);
    static final String APPLICATION_PASSWORD =
            "app-" + GuardianInstance.newKek().substring(0, 12);
    static final TokenAmount FUNDED_ETH = TokenAmount.parse(Asset.ether(), "1");
    private static final Duration START_PATIENCE = Duration.ofSeconds(120);

    private final RestartableChain chain;
    private final Address usdc;
    private final List<AgentSpec> agents;
    private final PersonSpec auditor;
    private final PersonSpec admin;
    private final List<GuardianProcess> instances = new ArrayList<>();
    private final Path scratch;

    private Deployment(
            RestartableChain chain,
            Address usdc,
            List<AgentSpec> agents,
            PersonSpec auditor,
            PersonSpec admin,
            Path scratch) {
        this.admin = admin;
        this.chain = chain;
        this.usdc = usdc;
        this.agents = agents;
        this.auditor = auditor;
        this.scratch = scratch;
    }

    /** The roles every deployment on {@code server} shares, made once: the owner and the application's login. */
    static void createRoles(ExternalPostgres server) {
        server.superuserSql(
                "postgres",
                "create role " + OWNER + " login password '" + OWNER_PASSWORD + "';"
                        + " create role guardian_app nologin;"
                        + " create role " + APPLICATION + " login password '" + APPLICATION_PASSWORD
                        + "' in role guardian_app;");
    }

    /**
     * Starts {@code instances} Guardians on a new database {@code name} of {@code server}, and funds every
     * agent's wallet with {@code usdcEach} and {@link #FUNDED_ETH}. {@code tune} adds settings.
     */
    static Deployment start(
            ExternalPostgres server,
            RestartableChain chain,
            String name,
            int instances,
            List<AgentSpec> agents,
            String usdcEach,
            Consumer<GuardianInstance.Builder> tune) {
        server.superuserSql("postgres", "create database " + name + " owner " + OWNER);
        Address usdc = chain.dev().deployTestUsdc();
        PersonSpec auditor = PersonSpec.person("auditor", Role.AUDITOR);
        PersonSpec admin = PersonSpec.person("admin", Role.ADMIN);
        GuardianInstance.Builder builder = GuardianInstance.builder(chain.rpcUrl(), usdc)
                .database(
                        "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + name, APPLICATION, APPLICATION_PASSWORD)
                .property("spring.flyway.user", OWNER)
                .property("spring.flyway.password", OWNER_PASSWORD)
                .person(auditor)
                .person(admin)
                // An interrupted submission (a killed instance) is resumed by whoever is left within seconds.
                .property("guardian.worker.interrupted-after", "3s")
                .property("guardian.worker.rebroadcast-after", "2s")
                .property("logging.level.dev.guardian", "INFO")
                .property("logging.level.dev.guardian.service.startup", "DEBUG");
        agents.forEach(builder::agent);
        tune.accept(builder);
        try {
            Path scratch = Files.createTempDirectory("guardian-deployment-");
            List<String> arguments = builder.arguments(scratch.resolve("initial-admin-token"));
            Deployment deployment = new Deployment(chain, usdc, List.copyOf(agents), auditor, admin, scratch);
            for (int i = 0; i < instances; i++) {
                deployment.instances.add(GuardianProcess.start(arguments, Map.of(), START_PATIENCE));
            }
            for (AgentSpec agent : agents) {
                WalletFunding.fundWallet(
                        chain.dev(),
                        deployment.client(agent, 0),
                        TokenAmount.parse(DevChain.usdcAsset(usdc), usdcEach),
                        FUNDED_ETH);
            }
            return deployment;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GuardianProcess instance(int index) {
        return instances.get(index);
    }

    List<GuardianProcess> instances() {
        return instances;
    }

    RestartableChain chain() {
        return chain;
    }

    Address usdc() {
        return usdc;
    }

    List<AgentSpec> agents() {
        return agents;
    }

    AgentClient client(AgentSpec agent, int instance) {
        return new AgentClient(instances.get(instance).baseUrl(), agent.apiKey());
    }

    /** A client of the first instance that is running. */
    AgentClient clientOfAnyLive(String token) {
        return new AgentClient(liveBaseUrl(), token);
    }

    private URI liveBaseUrl() {
        return instances.stream()
                .filter(GuardianProcess::alive)
                .findFirst()
                .map(GuardianProcess::baseUrl)
                .orElseThrow(() -> new IllegalStateException("no Guardian instance is running"));
    }

    /** The deployment's administrator (role admin), on a running instance. */
    AgentClient admin() {
        return clientOfAnyLive(admin.token());
    }

    Address walletOf(AgentSpec agent) {
        return Address.parse(clientOfAnyLive(agent.apiKey()).wallet().text("address"));
    }

    TokenAmount usdcBalance(Address holder) {
        return chain.dev().usdcBalance(usdc, holder);
    }

    TokenAmount usdc(String decimal) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), decimal);
    }

    /**
     * The whole audit log, exported as an auditor would and verified offline with the published keys,
     * record by record and checkpoint by checkpoint: the same check bin/verify-audit makes.
     */
    void assertAuditChainVerifies() {
        AgentClient auditorClient = clientOfAnyLive(auditor.token());
        AgentClient.Response keys = auditorClient.get("/v1/audit/public-keys");
        assertThat(keys.status()).as(keys.raw().body()).isEqualTo(200);
        List<AuditPublicKey> trusted = new ArrayList<>();
        for (JsonNode key : keys.body().get("keys")) {
            trusted.add(AuditPublicKey.fromPem(key.get("publicKeyPem").asString()));
        }
        try {
            // JSON Lines, not one JSON document: read as text, as an auditor's download is.
            HttpResponse<String> export = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(liveBaseUrl().resolve("/v1/audit/export?format=jsonl"))
                                    .header("Authorization", "Bearer " + auditor.token())
                                    .timeout(Duration.ofSeconds(60))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(export.statusCode()).isEqualTo(200);
            ExportVerifier.Result result = ExportVerifier.verify(new StringReader(export.body()), trusted, false);
            assertThat(result.report().ok()).as(result.report().toString()).isTrue();
            assertThat(result.report().records()).isPositive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        JsonNode live = auditorClient.get("/v1/audit/verification").body();
        assertThat(live.get("ok").asBoolean()).as(live.toString()).isTrue();
    }

    @Override
    public void close() {
        try {
            instances.forEach(GuardianProcess::close);
        } finally {
            Processes.run(List.of("rm", "-rf", scratch.toString()), Map.of(), null, Duration.ofSeconds(30));
        }
    }
}
