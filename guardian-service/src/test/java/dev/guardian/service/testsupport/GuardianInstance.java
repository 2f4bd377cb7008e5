package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.service.GuardianApplication;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.Relayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Guardian, started in-process on a free port exactly as an operator would configure it
 * (properties for the chain, the token, the key-encryption key and the agents), for tests that talk to
 * it over real HTTP. Without {@link Builder#database(TestDatabase)} it runs its own embedded, throw-away
 * PostgreSQL, which it asks for as an operator would have to ({@value #THROWAWAY_DATABASE}=true: Guardian
 * refuses to start without a database otherwise); several instances given the same database URL and KEK
 * behave as one deployment.
 */
public final class GuardianInstance implements AutoCloseable {
    private static final String INITIAL_ADMIN_TOKEN_FILE = "guardian.identity.initial-admin-token-file";
    /** The explicit opt-in to an embedded database whose data is discarded at exit. */
    public static final String THROWAWAY_DATABASE = "guardian.database.embedded-throwaway";

    private final ConfigurableApplicationContext context;
    private final URI baseUrl;
    /** A temporary directory for the initial administrator's token file, deleted at close; null when the test chose the file. */
    private final Path scratch;

    private GuardianInstance(ConfigurableApplicationContext context, Path scratch) {
        this.context = context;
        this.scratch = scratch;
        this.baseUrl = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    public static Builder builder(URI rpcUrl, Address usdc) {
        return new Builder(rpcUrl, usdc);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public AgentClient client(AgentSpec agent) {
        return new AgentClient(baseUrl, agent.apiKey());
    }

    /** A client holding this person's token. */
    public AgentClient client(PersonSpec person) {
        return new AgentClient(baseUrl, person.token());
    }

    /** The address of the configured agent's (first) wallet. */
    public Address walletOf(AgentSpec agent) {
        return bean(AgentDirectory.class)
                .find(new AgentId(agent.id()))
                .orElseThrow()
                .walletAddress();
    }

    /** The address of Guardian's relayer account, which this instance created or found at its start. */
    public Address relayer() {
        return bean(Relayer.class).address();
    }

    /** The file this instance's first start wrote (or would write) the initial administrator's token to. */
    public Path initialAdminTokenFile() {
        return Path.of(context.getEnvironment().getRequiredProperty(INITIAL_ADMIN_TOKEN_FILE));
    }

    @Override
    public void close() {
        context.close();
        deleteScratch(scratch);
    }

    private static void deleteScratch(Path scratch) {
        if (scratch == null) {
            return;
        }
        try (Stream<Path> files = Files.list(scratch)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh key-encryption key as operators supply it (base64 of 32 random bytes). */
    public static String newKek() {
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        return Base64.getEncoder().encodeToString(kek);
    }

    public static final class Builder {
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private final List<AgentSpec> agents = new ArrayList<>();
        private final List<PersonSpec> people = new ArrayList<>();
        private Clock clock;

        private Builder(URI rpcUrl, Address usdc) {
            properties.put("server.port", "0");
            properties.put("guardian.chain.rpc-url", rpcUrl.toString());
            properties.put("guardian.chain.usdc.address", usdc.toString());
            properties.put("guardian.keys.kek", newKek());
            // Tests want quick receipts and a breaker that recovers within a test's patience.
            properties.put("guardian.worker.receipt-poll-interval", "100ms");
            properties.put("guardian.chain.resilience.call-timeout", "2s");
            properties.put("guardian.chain.resilience.open-state-wait", "1s");
            properties.put("spring.main.banner-mode", "off");
            // Tests set state up by sending from agents' wallets themselves (anvil_impersonateAccount), which
            // wallet reconciliation rightly takes for a key used outside Guardian: it runs at start only (its
            // first pass just records where each wallet starts) unless a test asks for it, as
            // WalletReconciliationTest and the e2e WalletReconciliationScenariosTest do.
            properties.put("guardian.worker.wallet-reconcile-interval", "1h");
            // Tests race tens of requests of one agent on purpose (budgets, nonces, approvals under
            // contention): the per-agent limits, which would answer most of them 429, are raised here and
            // tested on their own with the defaults (AgentLimitsTest).
            properties.put("guardian.api.agent-requests-per-second", "10000");
            properties.put("guardian.api.agent-concurrent-requests", "200");
            // The test Anvil mines a block only when a transaction arrives, so a safe head below the latest would
            // keep lapsed authorizations outstanding until a test happens to send again. The tests of the safe
            // head set a depth of their own (AuthorizationSafeHeadTest).
            properties.put("guardian.chain.confirmation-depth", "0");
        }

        /**
         * The whole configuration as command-line arguments ({@code --name=value}), so they take precedence
         * over application.yml as an operator's would: for this in-process start, or for a Guardian run as a
         * process of its own from the executable jar. {@code adminTokenFile} is used unless one was set.
         */
        public List<String> arguments(Path adminTokenFile) {
            Map<String, Object> all = new LinkedHashMap<>(properties);
            for (int i = 0; i < agents.size(); i++) {
                all.putAll(agents.get(i).properties(i));
            }
            for (int i = 0; i < people.size(); i++) {
                all.putAll(people.get(i).properties(i));
            }
            if (!all.containsKey("spring.datasource.url")) {
                // No database given: this instance's data lives as long as it does, and says so.
                all.putIfAbsent(THROWAWAY_DATABASE, true);
            }
            if (adminTokenFile != null) {
                all.putIfAbsent(INITIAL_ADMIN_TOKEN_FILE, adminTokenFile);
            }
            return all.entrySet().stream()
                    .map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toList();
        }

        /** Where the first start writes the initial administrator's token (unless set, a temporary directory deleted at close). */
        public Builder initialAdminTokenFile(Path file) {
            properties.put(INITIAL_ADMIN_TOKEN_FILE, file);
            return this;
        }

        public Builder agent(AgentSpec agent) {
            agents.add(agent);
            return this;
        }

        public Builder person(PersonSpec person) {
            people.add(person);
            return this;
        }

        /** Replaces the system clock, so a test can move time (deadlines, windows) without sleeping. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder kek(String base64) {
            properties.put("guardian.keys.kek", base64);
            return this;
        }

        public Builder database(String jdbcUrl, String user, String password) {
            properties.put("spring.datasource.url", jdbcUrl);
            properties.put("spring.datasource.username", user);
            properties.put("spring.datasource.password", password);
            return this;
        }

        /**
         * Runs on {@code database} as a deployment would: the application as its restricted role, the
         * migrations as the owner. Several instances given the same database (and KEK) are one deployment.
         */
        public Builder database(TestDatabase database) {
            database(database.plainJdbcUrl(), database.applicationUser(), database.applicationPassword());
            properties.put("spring.flyway.user", "postgres");
            properties.put("spring.flyway.password", "");
            return this;
        }

        /**
         * As {@link #database(TestDatabase)}, but reaching it through {@code proxy} (a {@link TcpProxy} to
         * {@link TestDatabase#port()}), so a test can cut the connection off without stopping the server.
         */
        public Builder database(TestDatabase database, TcpProxy proxy) {
            database(database);
            properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres");
            return this;
        }

        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        public GuardianInstance start() {
            Path scratch = null;
            if (!properties.containsKey(INITIAL_ADMIN_TOKEN_FILE)) {
                // The first start writes the initial administrator's token to a file: keep it out of the working
                // directory.
                try {
                    scratch = Files.createTempDirectory("guardian-test-");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            String[] arguments = arguments(scratch == null ? null : scratch.resolve("initial-admin-token"))
                    .toArray(String[]::new);
            SpringApplicationBuilder application = new SpringApplicationBuilder(GuardianApplication.class);
            if (clock != null) {
                Clock supplied = clock;
                application.initializers(context -> context.getBeanFactory().registerSingleton("clock", supplied));
            }
            try {
                return new GuardianInstance(application.run(arguments), scratch);
            } catch (RuntimeException e) {
                deleteScratch(scratch);
                throw e;
            }
        }
    }
}
