package dev.guardian.benchmarks;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.sanctions.AddressTable;
import dev.guardian.service.sanctions.AllowOverride;
import dev.guardian.service.sanctions.FetchSettings;
import dev.guardian.service.sanctions.ListFormat;
import dev.guardian.service.sanctions.ListLocation;
import dev.guardian.service.sanctions.ListVersion;
import dev.guardian.service.sanctions.ReloadOutcome;
import dev.guardian.service.sanctions.SanctionsEvents;
import dev.guardian.service.sanctions.SanctionsScreening;
import dev.guardian.service.sanctions.SourceSpec;
import dev.guardian.service.sanctions.Trigger;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Screening a typical effect set (6 addresses: the wallet, the token contract, a router, two recipients
 * and a spender) against a list of one million addresses. Each call takes the next of 4,096 different
 * effect sets, one address in six listed, so that lookups land on cold parts of the table as real
 * requests do instead of the same six cache lines every time.
 *
 * <ul>
 *   <li>{@code screen}: the whole {@link SanctionsScreening#screen} the request path calls, with the list
 *       loaded from a text file as in production: lookups, staleness check, versions, the result;</li>
 *   <li>{@code tableLookups}: only the six lookups in the {@link AddressTable};</li>
 *   <li>{@code hashSetLookups}: the same six in a {@code HashSet<Address>}, for comparison.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class ScreeningBenchmark {
    @Param({"1000000"})
    int listSize;

    private Path listFile;
    private SanctionsScreening screening;
    private AddressTable table;
    private Set<Address> hashSet;
    private static final int EFFECT_SETS = 4096;
    private final List<Set<Address>> effectSets = new ArrayList<>();
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Random random = new Random(20261126);
        List<Address> listed = new ArrayList<>(listSize);
        listFile = Files.createTempFile("guardian-benchmark-", ".txt");
        HexFormat hex = HexFormat.of();
        try (BufferedWriter out = Files.newBufferedWriter(listFile)) {
            for (int i = 0; i < listSize; i++) {
                byte[] bytes = new byte[20];
                random.nextBytes(bytes);
                out.write("0x" + hex.formatHex(bytes) + "\n");
                if (i % 1000 == 0) {
                    listed.add(Address.of(bytes));
                }
            }
        }
        SourceSpec source = new SourceSpec(
                "million",
                new ListLocation.LocalFile(listFile),
                ListFormat.TEXT,
                Optional.of(LocalDate.now()),
                Optional.empty(),
                Duration.ofHours(6));
        screening = new SanctionsScreening(
                List.of(source),
                List.of(),
                Optional.empty(),
                new SanctionsScreening.Settings(0.25, Verdict.DENY),
                FetchSettings.defaults(),
                new NoEvents(),
                Clock.systemUTC());
        List<ReloadOutcome> loaded = screening.start();
        if (loaded.getFirst().result() != ReloadOutcome.Result.LOADED) {
            throw new IllegalStateException("the benchmark list did not load: " + loaded);
        }
        AddressTable.Builder builder = AddressTable.builder();
        try (var lines = Files.lines(listFile)) {
            lines.forEach(builder::addHex);
        }
        table = builder.build();
        hashSet = new HashSet<>();
        table.addresses().forEach(hashSet::add);

        for (int i = 0; i < EFFECT_SETS; i++) {
            Set<Address> effects = new LinkedHashSet<>();
            effects.add(listed.get(random.nextInt(listed.size())));
            while (effects.size() < 6) {
                byte[] bytes = new byte[20];
                random.nextBytes(bytes);
                effects.add(Address.of(bytes));
            }
            effectSets.add(effects);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(listFile);
    }

    private Set<Address> nextEffects() {
        next = (next + 1) & (EFFECT_SETS - 1);
        return effectSets.get(next);
    }

    @Benchmark
    public ScreeningResult screen() {
        return screening.screen(nextEffects());
    }

    @Benchmark
    public void tableLookups(Blackhole hole) {
        for (Address address : nextEffects()) {
            hole.consume(table.contains(address));
        }
    }

    @Benchmark
    public void hashSetLookups(Blackhole hole) {
        for (Address address : nextEffects()) {
            hole.consume(hashSet.contains(address));
        }
    }

    /** Benchmarks record nothing. */
    private static final class NoEvents implements SanctionsEvents {
        @Override
        public void listLoaded(
                ListVersion version,
                Optional<ListVersion> previous,
                Trigger trigger,
                Actor actor,
                boolean shrinkAccepted) {}

        @Override
        public void reloadKept(
                String source,
                ReloadOutcome.Result result,
                String problem,
                Optional<ListVersion> kept,
                Trigger trigger,
                Actor actor) {}

        @Override
        public void overridesInEffect(List<AllowOverride> overrides, String sha256) {}
    }
}
