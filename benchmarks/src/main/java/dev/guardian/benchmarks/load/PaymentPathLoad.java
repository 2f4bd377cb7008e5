package dev.guardian.benchmarks.load;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.guardian.benchmarks.load.ContentionSampler.Contention;
import dev.guardian.benchmarks.load.Timelines.Timeline;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.api.ProblemTypes;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.JsonRpcChannel;
import dev.guardian.service.devchain.AnvilOptions;
import dev.guardian.service.devchain.AnvilProcess;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.ShippedSanctionsList;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.service.testsupport.WalletFunding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootVersion;
import org.web3j.protocol.Web3j;

/**
 * The whole payment path under load, as agents see it: {@code POST /v1/payments} over real HTTP into a
 * real Guardian (in this JVM), which simulates on a real Anvil, screens, judges, records in a real
 * PostgreSQL, signs, broadcasts, and follows each transaction to CONFIRMED. Everything runs on this
 * machine; nothing leaves the loopback interface.
 *
 * <p>Scenarios, each bounded by a count and a time limit, after a warm-up: one client paying from one
 * agent; 8 and 32 clients spread over 8 agents; the same against one agent (all serialised on its
 * decision lock and nonce row); and payments to a sanctioned address, refused before anything is signed.
 * Prints Markdown tables. Run with {@code mvn -pl benchmarks exec:exec@payment-path} (docs/benchmarks.md).
 *
 * <p>Options: {@code --sequential=N} (300), {@code --concurrent=N} payments per concurrent scenario
 * (1000), {@code --receipt-poll-interval=D} (500ms, Guardian's default).
 */
public final class PaymentPathLoad {
    private static final Duration DAY = Duration.ofHours(24);
    private static final String AMOUNT = "0.01";
    private static final int FLEET_SIZE = 8;
    private static final Duration SCENARIO_LIMIT = Duration.ofSeconds(60);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);
    /** Scenarios that would start later than this are skipped, so a slow machine still ends in minutes. */
    private static final Duration RUN_LIMIT = Duration.ofMinutes(6);

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(25);
    /** The audit events of an allowed payment that goes straight to CONFIRMED, once each. */
    private static final Set<String> STRAIGHT_PATH =
            Set.of("request-received", "simulation", "screening", "decision", "signed", "submitted", "confirmed");

    private final Options options;
    private final DevChain dev;
    private final Web3j web3j;
    private final Address usdc;
    private final GuardianInstance guardian;
    private final Timelines timelines;
    private final DataSource ownerDatabase;
    private final Optional<HikariPoolMXBean> pool;
    private final CpuMeter cpu;
    private final List<Address> payees;
    private final Address sanctioned;
    private final long startNanos = System.nanoTime();
    private final List<AllowedResult> allowed = new ArrayList<>();
    private final List<DeniedResult> denied = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** Command-line options. */
    record Options(int sequential, int concurrent, String receiptPollInterval) {
        Options {
            if (sequential < 1 || concurrent < 1) {
                throw new IllegalArgumentException("--sequential and --concurrent must be positive");
            }
            Objects.requireNonNull(receiptPollInterval, "receiptPollInterval");
        }

        static Options parse(String... args) {
            Map<String, String> given = new TreeMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException("options look like --name=value, not " + arg);
                }
                given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            Options options = new Options(
                    Integer.parseInt(given.getOrDefault("sequential", "300")),
                    Integer.parseInt(given.getOrDefault("concurrent", "1000")),
                    given.getOrDefault("receipt-poll-interval", "500ms"));
            given.keySet().removeAll(List.of("sequential", "concurrent", "receipt-poll-interval"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + given.keySet()
                        + "; known: --sequential=N, --concurrent=N, --receipt-poll-interval=D");
            }
            return options;
        }
    }

    /** A scenario of allowed payments: what the clients saw and what the database recorded. */
    record AllowedResult(
            String name,
            int threads,
            int agents,
            ClosedLoop.Run run,
            Map<UUID, Timeline> timelines,
            int unsettled,
            Contention contention,
            CpuMeter.Use cpu,
            long blocksMined) {}

    /** A scenario of refused payments. */
    record DeniedResult(
            String name,
            int threads,
            ClosedLoop.Run run,
            Map<UUID, Timeline> timelines,
            Contention contention,
            CpuMeter.Use cpu) {}

    private PaymentPathLoad(
            Options options,
            DevChain dev,
            Web3j web3j,
            Address usdc,
            GuardianInstance guardian,
            TestDatabase database,
            List<Address> payees,
            Address sanctioned) {
        this.options = options;
        this.dev = dev;
        this.web3j = web3j;
        this.usdc = usdc;
        this.guardian = guardian;
        this.timelines = new Timelines(database.ownerJdbc());
        this.ownerDatabase = database.ownerDataSource();
        this.pool = guardian.bean(DataSource.class) instanceof HikariDataSource hikari
                ? Optional.ofNullable(hikari.getHikariPoolMXBean())
                : Optional.empty();
        this.payees = payees;
        this.sanctioned = sanctioned;
        // The checkpointer lives as long as the server; its parent is the postmaster whose children the meter sums.
        this.cpu = new CpuMeter(database.ownerJdbc()
                .sql("select pid from pg_stat_activity where backend_type = 'checkpointer'")
                .query(Long.class)
                .single());
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String loadBefore = loadAverage();
        Instant began = Instant.now();
        List<Address> payees =
                IntStream.range(0, 4).mapToObj(i -> TestAddresses.fresh()).toList();
        AgentSpec warmUp = allowedAgent("warm-up", payees);
        AgentSpec sequential = allowedAgent("sequential", payees);
        List<AgentSpec> fleet = IntStream.rangeClosed(1, FLEET_SIZE)
                .mapToObj(i -> allowedAgent("fleet-" + i, payees))
                .toList();
        AgentSpec solo = allowedAgent("solo", payees);
        AgentSpec screened = allowedAgent("screened", payees);
        List<AgentSpec> everyone = new ArrayList<>(List.of(warmUp, sequential, solo, screened));
        everyone.addAll(fleet);

        progress("starting Anvil, PostgreSQL and Guardian");
        try (AnvilProcess anvil = AnvilProcess.start(AnvilOptions.defaults());
                TestDatabase database = TestDatabase.start()) {
            Web3j web3j = ChainAdapter.connect(anvil.rpcUrl(), Duration.ofSeconds(10));
            try {
                DevChain dev = DevChain.attach(web3j);
                Address usdc = dev.deployTestUsdc();
                GuardianInstance.Builder builder = GuardianInstance.builder(anvil.rpcUrl(), usdc)
                        .database(database)
                        .property("logging.level.root", "WARN")
                        // The test support's quicker settings, back to Guardian's defaults: measure what operators run.
                        .property("guardian.worker.receipt-poll-interval", options.receiptPollInterval())
                        .property("guardian.chain.resilience.call-timeout", "5s")
                        .property("guardian.chain.resilience.open-state-wait", "30s");
                everyone.forEach(builder::agent);
                try (GuardianInstance guardian = builder.start()) {
                    PaymentPathLoad load = new PaymentPathLoad(
                            options,
                            dev,
                            web3j,
                            usdc,
                            guardian,
                            database,
                            payees,
                            ShippedSanctionsList.addresses().getFirst());
                    everyone.forEach(load::fund);
                    load.runAll(
                            guardian.client(warmUp),
                            guardian.client(sequential),
                            fleet.stream().map(guardian::client).toList(),
                            guardian.client(solo),
                            guardian.client(screened));
                    load.report(began, loadBefore, database, anvil);
                }
            } finally {
                web3j.shutdown();
            }
        }
        // Guardian's scheduler and the embedded database leave non-daemon threads behind.
        System.exit(0);
    }

    private void runAll(
            AgentClient warmUp, AgentClient sequential, List<AgentClient> fleet, AgentClient solo, AgentClient screened)
            throws InterruptedException {
        progress("warm-up: 100 payments one after another, 100 from 8 clients over 8 agents, 50 refusals");
        allowedRun("warm-up sequential", List.of(warmUp), 1, 100);
        allowedRun("warm-up fleet", fleet, 8, 100);
        deniedRun("warm-up refusals", List.of(warmUp), 1, 50);
        allowed.clear();
        denied.clear();

        int n = options.concurrent();
        allowedScenario("sequential, 1 agent", List.of(sequential), 1, options.sequential());
        allowedScenario("8 clients, 8 agents", fleet, 8, n);
        allowedScenario("32 clients, 8 agents", fleet, 32, n);
        allowedScenario("8 clients, 1 agent", List.of(solo), 8, n);
        allowedScenario("32 clients, 1 agent", List.of(solo), 32, n);
        deniedScenario("refusals, sequential, 1 agent", List.of(screened), 1, options.sequential());
        deniedScenario("refusals, 8 clients, 8 agents", fleet, 8, n);
    }

    private void allowedScenario(String name, List<AgentClient> clients, int threads, int total)
            throws InterruptedException {
        if (overTime(name)) {
            return;
        }
        progress(name + ": " + total + " payments");
        allowed.add(allowedRun(name, clients, threads, total));
    }

    private void deniedScenario(String name, List<AgentClient> clients, int threads, int total)
            throws InterruptedException {
        if (overTime(name)) {
            return;
        }
        progress(name + ": " + total + " payments to a sanctioned address");
        denied.add(deniedRun(name, clients, threads, total));
    }

    private AllowedResult allowedRun(String name, List<AgentClient> clients, int threads, int total)
            throws InterruptedException {
        String keyPrefix = keyPrefix(name);
        long blockBefore = blockNumber();
        ContentionSampler sampler =
                ContentionSampler.start(ownerDatabase, pool, new JsonRpcChannel(web3j), SAMPLE_EVERY);
        CpuMeter.Reading cpuBefore = cpu.read();
        ClosedLoop.Run run = ClosedLoop.run(
                threads,
                total,
                SCENARIO_LIMIT,
                i -> clients.get(i % clients.size())
                        .pay(payees.get(i % payees.size()).toString(), AMOUNT, Optional.of(keyPrefix + i)));
        CpuMeter.Use cpuUse = CpuMeter.between(cpuBefore, cpu.read());
        Contention contention = sampler.finish();
        List<UUID> ids = run.sent().stream()
                .filter(s -> s.httpStatus() == 202)
                .flatMap(s -> s.requestId().stream())
                .toList();
        int unsettled = timelines.awaitSettled(ids, SETTLE_LIMIT);
        if (unsettled > 0) {
            notes.add(name + ": " + unsettled + " of " + ids.size() + " accepted payments were not settled "
                    + SETTLE_LIMIT.toSeconds() + " s after the last answer");
        }
        // CONFIRMED is a right answer too: the worker may settle a payment before its submitter has recorded the
        // broadcast.
        noteUnexpected(name, run, 202, Set.of("SUBMITTED", "CONFIRMED"));
        long alreadyConfirmed = run.sent().stream()
                .filter(s -> s.status().orElse("").equals("CONFIRMED"))
                .count();
        if (alreadyConfirmed > 0) {
            notes.add(name + ": " + alreadyConfirmed + " answers already said CONFIRMED");
        }
        AllowedResult result = new AllowedResult(
                name,
                threads,
                clients.size(),
                run,
                timelines.read(ids),
                unsettled,
                contention,
                cpuUse,
                blockNumber() - blockBefore);
        long failed = result.timelines().values().stream()
                .filter(t -> t.status().equals("FAILED"))
                .count();
        if (failed > 0) {
            notes.add(name + ": " + failed + " accepted payments FAILED");
        }
        noteDetours(name, result.timelines().values());
        return result;
    }

    private DeniedResult deniedRun(String name, List<AgentClient> clients, int threads, int total)
            throws InterruptedException {
        String keyPrefix = keyPrefix(name);
        ContentionSampler sampler =
                ContentionSampler.start(ownerDatabase, pool, new JsonRpcChannel(web3j), SAMPLE_EVERY);
        CpuMeter.Reading cpuBefore = cpu.read();
        ClosedLoop.Run run = ClosedLoop.run(
                threads,
                total,
                SCENARIO_LIMIT,
                i -> clients.get(i % clients.size()).pay(sanctioned.toString(), AMOUNT, Optional.of(keyPrefix + i)));
        CpuMeter.Use cpuUse = CpuMeter.between(cpuBefore, cpu.read());
        Contention contention = sampler.finish();
        noteUnexpected(name, run, 403, Set.of(ProblemTypes.POLICY_DENIED.toString()));
        List<UUID> ids =
                run.sent().stream().flatMap(s -> s.requestId().stream()).toList();
        return new DeniedResult(name, threads, run, timelines.read(ids), contention, cpuUse);
    }

    private void noteUnexpected(String name, ClosedLoop.Run run, int expectedStatus, Set<String> expectedStates) {
        Map<String, Long> unexpected = run.sent().stream()
                .filter(s -> s.httpStatus() != expectedStatus
                        || !expectedStates.contains(s.status().orElse("")))
                .collect(Collectors.groupingBy(
                        s -> s.httpStatus() + " " + s.status().or(s::error).orElse(""),
                        TreeMap::new,
                        Collectors.counting()));
        if (!unexpected.isEmpty()) {
            notes.add(name + ": answers other than " + expectedStatus + " " + expectedStates + ": " + unexpected);
        }
        if (run.stoppedByTimeLimit()) {
            notes.add(name + ": stopped by its time limit of " + SCENARIO_LIMIT.toSeconds() + " s after "
                    + run.sent().size() + " requests");
        }
    }

    /** Audit events off the straight path (a re-broadcast, an unanswered broadcast), per event: how many requests had them. */
    private void noteDetours(String name, Collection<Timeline> all) {
        Map<String, Long> detours = all.stream()
                .flatMap(t -> t.eventCounts().entrySet().stream()
                        .filter(e -> !STRAIGHT_PATH.contains(e.getKey()) || e.getValue() > 1)
                        .map(e -> e.getKey() + (e.getValue() > 1 ? " (" + e.getValue() + " times)" : "")))
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        if (!detours.isEmpty()) {
            notes.add(name + ": requests with audit events off the straight path: " + detours);
        }
    }

    private boolean overTime(String name) {
        if (Duration.ofNanos(System.nanoTime() - startNanos).compareTo(RUN_LIMIT) > 0) {
            notes.add(name + ": skipped, the run had already taken more than " + RUN_LIMIT.toMinutes() + " minutes");
            return true;
        }
        return false;
    }

    /** Funds the agent's wallet as a treasury would: USDC to pay with, ETH for gas. */
    private void fund(AgentSpec agent) {
        WalletFunding.fundWallet(
                dev,
                guardian.client(agent),
                TokenAmount.parse(DevChain.usdcAsset(usdc), "1000"),
                TokenAmount.parse(Asset.ether(), "10"));
    }

    private static AgentSpec allowedAgent(String id, List<Address> payees) {
        // Caps and budgets far above what a run spends (at most a few thousand payments of 0.01 USDC), payees
        // allowlisted:
        // every payment to a payee is allowed, so the figures are those of the full path.
        return AgentSpec.agent(id).perTransactionCap("10").budget("100000", DAY).allow(payees.toArray(Address[]::new));
    }

    // ---------------------------------------------------------------------------------------------- report

    private void report(Instant began, String loadBefore, TestDatabase database, AnvilProcess anvil) {
        System.gc();
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long heapUsed = runtime.totalMemory() - runtime.freeMemory();
        String loadAfter = loadAverage();
        StringBuilder out = new StringBuilder();
        out.append("\n## Payment path under load: figures of this run\n\n");
        out.append("Run ")
                .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        began.atOffset(ZoneOffset.UTC).withNano(0)))
                .append(" UTC, ")
                .append(Duration.ofNanos(System.nanoTime() - startNanos).toSeconds())
                .append(" s from start-up to the report. ")
                .append(runtime.availableProcessors())
                .append(" cores (")
                .append(cpuModel())
                .append("), JDK ")
                .append(System.getProperty("java.vm.vendor"))
                .append(' ')
                .append(System.getProperty("java.version"))
                .append(", heap max ")
                .append(runtime.maxMemory() >> 20)
                .append(" MB; Spring Boot ")
                .append(SpringBootVersion.getVersion())
                .append(", PostgreSQL ")
                .append(database.ownerJdbc()
                        .sql("show server_version")
                        .query(String.class)
                        .single())
                .append(" (embedded), ")
                .append(anvilVersion())
                .append(". Receipt worker every ")
                .append(options.receiptPollInterval())
                .append(", ")
                .append(pool.map(p -> "connection pool of " + maxPoolSize()).orElse("connection pool unknown"))
                .append(". Load average before: ")
                .append(loadBefore)
                .append("; after: ")
                .append(loadAfter)
                .append(". Heap in use after the run and a GC (Guardian and the clients, one JVM): ")
                .append(heapUsed >> 20)
                .append(" MB.\n\n");

        out.append("### Allowed payments (202, then CONFIRMED)\n\n");
        out.append(
                "| scenario | payments | accepted/s | POST p50 | p90 | p99 | max (ms) | confirmed/s | to CONFIRMED p50 | p90 | p99 | max (ms) | blocks |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (AllowedResult r : allowed) {
            List<Sent> accepted =
                    r.run().sent().stream().filter(s -> s.httpStatus() == 202).toList();
            List<Timeline> confirmed = r.timelines().values().stream()
                    .filter(t -> t.status().equals("CONFIRMED"))
                    .toList();
            Map<UUID, Sent> byId = accepted.stream()
                    .collect(Collectors.toMap(s -> s.requestId().orElseThrow(), Function.identity()));
            List<Duration> toConfirmed = confirmed.stream()
                    .map(t -> Duration.between(byId.get(t.id()).sentAt(), t.updatedAt()))
                    .toList();
            Instant lastConfirmed = confirmed.stream()
                    .map(Timeline::updatedAt)
                    .max(Instant::compareTo)
                    .orElse(r.run().startedAt());
            out.append("| ")
                    .append(r.name())
                    .append(" | ")
                    .append(r.run().sent().size())
                    .append(" | ")
                    .append(rate(accepted.size(), r.run().elapsed()))
                    .append(" | ")
                    .append(Percentiles.of(latencies(r.run().sent())).cells())
                    .append(" | ")
                    .append(rate(confirmed.size(), Duration.between(r.run().startedAt(), lastConfirmed)))
                    .append(" | ")
                    .append(Percentiles.of(toConfirmed).cells())
                    .append(" | ")
                    .append(r.blocksMined())
                    .append(" |\n");
        }

        out.append(
                "\n### Where the time of an allowed payment goes (p50 / p90, ms; from the audit records' instants)\n\n");
        out.append(
                "| scenario | sent → received | received → decision | decision → signed | signed → submitted | submitted → answer | submitted → CONFIRMED |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (AllowedResult r : allowed) {
            Map<UUID, Sent> byId = r.run().sent().stream()
                    .filter(s -> s.requestId().isPresent())
                    .collect(Collectors.toMap(s -> s.requestId().orElseThrow(), Function.identity()));
            Collection<Timeline> all = r.timelines().values();
            out.append("| ")
                    .append(r.name())
                    .append(" | ")
                    .append(median90(segment(
                            all, t -> byId.get(t.id()).sentAt(), t -> t.events().get("request-received"))))
                    .append(" | ")
                    .append(median90(segment(
                            all,
                            t -> t.events().get("request-received"),
                            t -> t.events().get("decision"))))
                    .append(" | ")
                    .append(median90(segment(
                            all,
                            t -> t.events().get("decision"),
                            t -> t.events().get("signed"))))
                    .append(" | ")
                    .append(median90(segment(
                            all, t -> t.events().get("signed"), t -> t.events().get("submitted"))))
                    .append(" | ")
                    .append(median90(segment(
                            all,
                            t -> t.events().get("submitted"),
                            t -> byId.get(t.id()).answeredAt())))
                    .append(" | ")
                    .append(median90(segment(
                            all,
                            t -> t.events().get("submitted"),
                            t -> t.status().equals("CONFIRMED") ? t.updatedAt() : null)))
                    .append(" |\n");
        }

        out.append("\n### Refused payments (sanctioned recipient: 403 policy-denied, nothing signed)\n\n");
        out.append(
                "| scenario | payments | answers/s | POST p50 | p90 | p99 | max (ms) | sent → received p50 / p90 | received → decision | decision → answer |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (DeniedResult r : denied) {
            Map<UUID, Sent> byId = r.run().sent().stream()
                    .filter(s -> s.requestId().isPresent())
                    .collect(Collectors.toMap(s -> s.requestId().orElseThrow(), Function.identity()));
            Collection<Timeline> all = r.timelines().values();
            out.append("| ")
                    .append(r.name())
                    .append(" | ")
                    .append(r.run().sent().size())
                    .append(" | ")
                    .append(rate(r.run().sent().size(), r.run().elapsed()))
                    .append(" | ")
                    .append(Percentiles.of(latencies(r.run().sent())).cells())
                    .append(" | ")
                    .append(median90(segment(
                            all, t -> byId.get(t.id()).sentAt(), t -> t.events().get("request-received"))))
                    .append(" | ")
                    .append(median90(segment(
                            all,
                            t -> t.events().get("request-received"),
                            t -> t.events().get("decision"))))
                    .append(" | ")
                    .append(median90(segment(
                            all,
                            t -> t.events().get("decision"),
                            t -> byId.get(t.id()).answeredAt())))
                    .append(" |\n");
        }

        out.append("\n### Who waits for what while the clients run (mean over samples every ")
                .append(SAMPLE_EVERY.toMillis())
                .append(" ms; max in brackets)\n\n");
        out.append(
                "| scenario | samples | audit chain lock | agent decision lock | row lock (nonce/request) | requests waiting for a DB connection | connections in use | Anvil pending (max) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Map.Entry<String, Contention>> contentions = new ArrayList<>();
        allowed.forEach(r -> contentions.add(Map.entry(r.name(), r.contention())));
        denied.forEach(r -> contentions.add(Map.entry(r.name(), r.contention())));
        for (Map.Entry<String, Contention> entry : contentions) {
            Contention c = entry.getValue();
            out.append("| ")
                    .append(entry.getKey())
                    .append(" | ")
                    .append(c.samples())
                    .append(" | ")
                    .append(decimal(c.auditLock()))
                    .append(" (")
                    .append(c.maxAuditLock())
                    .append(")")
                    .append(" | ")
                    .append(decimal(c.agentLock()))
                    .append(" | ")
                    .append(decimal(c.rowLock()))
                    .append(" | ")
                    .append(decimal(c.poolWaiting()))
                    .append(" (")
                    .append(c.maxPoolWaiting())
                    .append(")")
                    .append(" | ")
                    .append(decimal(c.poolActive()))
                    .append(" | ")
                    .append(c.maxAnvilPending())
                    .append(" |\n");
        }
        out.append("\n### CPU while the clients run (cores in use on average; the machine has ")
                .append(runtime.availableProcessors())
                .append(")\n\n");
        out.append("| scenario | machine | JVM (Guardian + clients) | PostgreSQL | Anvil | everything else |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        List<Map.Entry<String, CpuMeter.Use>> uses = new ArrayList<>();
        allowed.forEach(r -> uses.add(Map.entry(r.name(), r.cpu())));
        denied.forEach(r -> uses.add(Map.entry(r.name(), r.cpu())));
        for (Map.Entry<String, CpuMeter.Use> entry : uses) {
            CpuMeter.Use u = entry.getValue();
            out.append("| ")
                    .append(entry.getKey())
                    .append(" | ")
                    .append(decimal(u.machine()))
                    .append(" | ")
                    .append(decimal(u.jvm()))
                    .append(" | ")
                    .append(decimal(u.postgres()))
                    .append(" | ")
                    .append(decimal(u.anvil()))
                    .append(" | ")
                    .append(decimal(u.rest()))
                    .append(" |\n");
        }
        int stillUnsettled = timelines.unsettledOverall();
        if (stillUnsettled > 0) {
            notes.add(stillUnsettled + " requests were still on their way to the chain at the end");
        }
        out.append("\n")
                .append(
                        notes.isEmpty()
                                ? "Every answer was the expected one; every accepted payment was CONFIRMED.\n"
                                : notes.stream()
                                        .map(n -> "- " + n)
                                        .collect(Collectors.joining("\n", "Notes:\n", "\n")));
        out.append("Anvil log: ").append(anvil.logFile()).append('\n');
        System.out.print(out);
        System.out.flush();
    }

    private static List<Duration> latencies(List<Sent> sent) {
        return sent.stream()
                .filter(s -> s.httpStatus() > 0)
                .map(s -> Duration.ofNanos(s.latencyNanos()))
                .toList();
    }

    /** The durations between two instants of each timeline that has both. */
    private static List<Duration> segment(
            Collection<Timeline> timelines, Function<Timeline, Instant> from, Function<Timeline, Instant> to) {
        List<Duration> durations = new ArrayList<>();
        for (Timeline t : timelines) {
            Instant start = from.apply(t);
            Instant end = to.apply(t);
            if (start != null && end != null) {
                durations.add(Duration.between(start, end));
            }
        }
        return durations;
    }

    private static String median90(List<Duration> durations) {
        Percentiles p = Percentiles.of(durations);
        return Percentiles.format(p.p50Millis()) + " / " + Percentiles.format(p.p90Millis());
    }

    private static String rate(long count, Duration over) {
        if (over.isZero() || over.isNegative()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.0f", count * 1e9 / over.toNanos());
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private int maxPoolSize() {
        return guardian.bean(DataSource.class) instanceof HikariDataSource hikari ? hikari.getMaximumPoolSize() : -1;
    }

    private long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String keyPrefix(String scenario) {
        return scenario.replaceAll("[^A-Za-z0-9]+", "-") + "-";
    }

    private static void progress(String message) {
        System.err.println("[payment-path] " + message);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String anvilVersion() {
        try {
            Process process = new ProcessBuilder(AnvilProcess.locateBinary().toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("anvil");
            process.waitFor();
            return text.strip();
        } catch (IOException e) {
            return "anvil (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "anvil (version unknown)";
        }
    }
}
