package dev.guardian.service.sanctions;

import dev.guardian.policy.Address;
import dev.guardian.policy.Sha256;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.database.DatabaseFailures;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The screening in use: every configured source merged into one table, the allow-overrides, and the
 * optional on-chain oracle. Plain Java; the service wires it and drives its reloads.
 *
 * <p><b>Reloads</b> ({@link #reload}, {@link #refreshDue}) run one at a time. A source that cannot be
 * read, or whose new content is suspicious (no EVM address at all, or fewer entries than the previous
 * version by more than {@code maxShrink}), keeps its previous version, and the problem is logged,
 * reported to {@link SanctionsEvents} (the audit log) and shown by {@link #status()}. A new version is
 * used only once it has been recorded. Screening never silently runs against less than before.
 *
 * <p><b>Screening</b> ({@link #screen}) is lock-free against an immutable snapshot, so a reload never
 * stalls a payment. It never throws: a source past its maximum age or never loaded, an oracle that
 * cannot be asked, or any failure of screening itself makes the result "not current", which the policy
 * turns into a denial (or an escalation, if so configured) of any request that moves value.
 */
public final class SanctionsScreening implements AddressScreen {
    private static final Logger log = LoggerFactory.getLogger(SanctionsScreening.class);
    /** After a failed fetch, a URL is tried again this soon at the latest, even if its refresh interval is longer. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(5);

    /**
     * @param maxShrink      a reload that loses more than this fraction of the entries is rejected (0.25: a
     *                       quarter); 1 turns the guard off, 0 rejects any shrink
     * @param whenNotCurrent what a request that would move value gets while screening is not current
     */
    public record Settings(double maxShrink, Verdict whenNotCurrent) {
        public Settings {
            if (!(maxShrink >= 0 && maxShrink <= 1)) {
                throw new IllegalArgumentException("max-shrink is a fraction between 0 and 1, was " + maxShrink);
            }
            Objects.requireNonNull(whenNotCurrent, "whenNotCurrent");
            if (whenNotCurrent == Verdict.ALLOW) {
                throw new IllegalArgumentException("a screening that is not current never allows: deny or escalate");
            }
        }
    }

    private final Map<String, SourceState> sources = new LinkedHashMap<>();
    private final Map<Address, AllowOverride> overrides = new LinkedHashMap<>();
    private final String overridesSha256;
    private final Optional<SanctionsOracle> oracle;
    private final Settings settings;
    private final ListLoader loader;
    private final ListFetcher fetcher;
    private final SanctionsEvents events;
    private final Clock clock;
    private final ReentrantLock reloads = new ReentrantLock();
    private volatile Snapshot snapshot = new Snapshot(AddressTable.builder().build(), Map.of(), List.of());
    private volatile OracleHealth oracleHealth = new OracleHealth(null, null, null, false);

    /**
     * What screening reads: the merged table, the list of each source that has one, and the versions a
     * result names (rendered once here, not on every request).
     */
    private record Snapshot(AddressTable merged, Map<String, SanctionsList> current, List<String> versions) {}

    /** {@code failing}: the last time it was asked, the oracle did not answer. */
    private record OracleHealth(Instant lastAnswerAt, Instant lastFailureAt, String lastFailure, boolean failing) {}

    /** A source's reload history; written under the reload lock, read by status without it. */
    private static final class SourceState {
        final SourceSpec spec;
        volatile SanctionsList current;
        volatile Instant lastAttemptAt;
        volatile ReloadOutcome lastOutcome;
        volatile String lastProblem;
        volatile Instant lastProblemAt;
        volatile Optional<ListFetcher.FileStamp> lastSeenFile;

        SourceState(SourceSpec spec) {
            this.spec = spec;
        }
    }

    public SanctionsScreening(
            List<SourceSpec> sources,
            List<AllowOverride> overrides,
            Optional<SanctionsOracle> oracle,
            Settings settings,
            FetchSettings fetch,
            SanctionsEvents events,
            Clock clock) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("screening needs at least one source");
        }
        for (SourceSpec source : sources) {
            if (this.sources.putIfAbsent(source.name(), new SourceState(source)) != null) {
                throw new IllegalArgumentException("two sources are named " + source.name());
            }
        }
        for (AllowOverride override : overrides) {
            if (this.overrides.putIfAbsent(override.address(), override) != null) {
                throw new IllegalArgumentException("the override for " + override.address() + " is configured twice");
            }
        }
        this.overridesSha256 = sha256(canonicalOverrides(overrides));
        this.oracle = Objects.requireNonNull(oracle, "oracle");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.fetcher = new ListFetcher(fetch);
        this.loader = new ListLoader(fetcher);
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Loads every source for the first time, records the overrides in effect, and asks the oracle once. */
    public List<ReloadOutcome> start() {
        if (!overrides.isEmpty()) {
            events.overridesInEffect(List.copyOf(overrides.values()), overridesSha256);
            log.warn(
                    "sanctions screening allows {} listed address(es) by configured override: {}",
                    overrides.size(),
                    overrides.values().stream()
                            .map(o -> o.address() + " (" + o.reason() + ", decided by " + o.decidedBy() + ")")
                            .toList());
        }
        List<ReloadOutcome> outcomes = reload(Optional.empty(), Trigger.STARTUP, Actor.GUARDIAN, false);
        for (SourceState state : sources.values()) {
            if (state.spec.maxAge().isEmpty()) {
                log.warn(
                        "sanctions source {} has no max-age: Guardian cannot tell when it goes stale{}",
                        state.spec.name(),
                        state.current == null
                                ? ""
                                : " (its content is as of "
                                        + state.current.version().asOf() + ")");
            }
        }
        oracle.ifPresent(o -> {
            // Any address will do: the answer matters less than whether there is one.
            screenWithOracle(o, Set.of(Address.of(new byte[Address.LENGTH])), new LinkedHashSet<>(), new ArrayList<>());
            if (oracleHealth.failing()) {
                log.error(
                        "sanctions {} cannot be asked ({}); payments will be refused until it can",
                        o.describe(),
                        oracleHealth.lastFailure());
            }
        });
        return outcomes;
    }

    /**
     * Reloads one source ({@code source} given) or all, now.
     *
     * @param acceptShrink accept a new version even if it shrank by more than the configured fraction: for a
     *                     person who has checked that the delisting is real (e.g. OFAC removed a whole entity)
     * @throws IllegalArgumentException for a source name that is not configured
     */
    public List<ReloadOutcome> reload(Optional<String> source, Trigger trigger, Actor actor, boolean acceptShrink) {
        source.ifPresent(name -> {
            if (!sources.containsKey(name)) {
                throw new IllegalArgumentException(
                        "no sanctions source is named '" + name + "'; configured: " + sources.keySet());
            }
        });
        reloads.lock();
        try {
            List<ReloadOutcome> outcomes = new ArrayList<>();
            for (SourceState state : sources.values()) {
                if (source.isEmpty() || source.get().equals(state.spec.name())) {
                    outcomes.add(reloadOne(state, trigger, actor, acceptShrink));
                }
            }
            publish();
            return outcomes;
        } finally {
            reloads.unlock();
        }
    }

    /**
     * The periodic check: fetches every URL whose refresh is due (by the clock), and reloads every file
     * whose modification time or size changed since it was last read.
     */
    public List<ReloadOutcome> refreshDue() {
        reloads.lock();
        try {
            List<ReloadOutcome> outcomes = new ArrayList<>();
            Instant now = clock.instant();
            for (SourceState state : sources.values()) {
                switch (state.spec.location()) {
                    case ListLocation.Remote remote -> {
                        if (isDue(state, now)) {
                            outcomes.add(reloadOne(state, Trigger.SCHEDULE, Actor.GUARDIAN, false));
                        }
                    }
                    case ListLocation.LocalFile file -> {
                        Optional<ListFetcher.FileStamp> seen = ListFetcher.stamp(file);
                        if (!seen.equals(state.lastSeenFile)) {
                            outcomes.add(reloadOne(state, Trigger.FILE_CHANGE, Actor.GUARDIAN, false));
                        }
                    }
                    case ListLocation.Classpath classpath -> {}
                }
            }
            if (!outcomes.isEmpty()) {
                publish();
            }
            return outcomes;
        } finally {
            reloads.unlock();
        }
    }

    @Override
    public ScreeningResult screen(Set<Address> touched) {
        Objects.requireNonNull(touched, "touched");
        try {
            Snapshot current = snapshot;
            Instant now = clock.instant();
            Set<Address> listed = new LinkedHashSet<>();
            for (Address address : touched) {
                if (current.merged().contains(address)) {
                    listed.add(address);
                }
            }
            List<String> problems = new ArrayList<>(listProblems(current, now));
            List<String> versions = new ArrayList<>(current.versions());
            oracle.ifPresent(o -> {
                versions.add(o.describe());
                screenWithOracle(o, touched, listed, problems);
            });
            Set<Address> hits = new LinkedHashSet<>();
            Map<Address, String> overridden = new LinkedHashMap<>();
            for (Address address : listed) {
                AllowOverride override = overrides.get(address);
                if (override == null) {
                    hits.add(address);
                } else {
                    overridden.put(address, override.reason() + " (decided by " + override.decidedBy() + ")");
                }
            }
            Optional<ScreeningResult.NotCurrent> notCurrent = problems.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new ScreeningResult.NotCurrent(settings.whenNotCurrent(), problems));
            return new ScreeningResult(touched, hits, versions, overridden, notCurrent);
        } catch (RuntimeException e) {
            // Fail closed: whatever went wrong, this result cannot let value move.
            log.error("sanctions screening failed; the request is refused", e);
            Set<Address> screened = new LinkedHashSet<>(touched);
            screened.remove(null);
            return new ScreeningResult(
                    screened,
                    Set.of(),
                    List.of(),
                    Map.of(),
                    Optional.of(new ScreeningResult.NotCurrent(Verdict.DENY, List.of("screening failed: " + e))));
        }
    }

    /** Each source's version, age and last problem, the oracle's health and the overrides: for operators. */
    public SanctionsStatus status() {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>(listProblems(current, now));
        OracleHealth health = oracleHealth;
        oracle.ifPresent(o -> {
            if (health.failing()) {
                problems.add("the sanctions " + o.describe() + " could not be asked at " + health.lastFailureAt() + " ("
                        + health.lastFailure() + ")");
            }
        });
        List<SanctionsStatus.Source> views = new ArrayList<>();
        for (SourceState state : sources.values()) {
            SanctionsList list = current.current().get(state.spec.name());
            Duration age = list == null ? null : Duration.between(list.freshSince(), now);
            views.add(new SanctionsStatus.Source(
                    state.spec.name(),
                    state.spec.format().configName(),
                    state.spec.location().describe(),
                    state.spec.maxAge().map(Duration::toString).orElse(null),
                    state.spec.isRemote() ? state.spec.refreshInterval().toString() : null,
                    list == null ? null : SanctionsStatus.Version.of(list.version()),
                    list == null ? null : list.freshSince().toString(),
                    age == null ? null : age.toString(),
                    list == null || isStale(state.spec, list, now),
                    state.lastAttemptAt == null ? null : state.lastAttemptAt.toString(),
                    state.lastOutcome == null
                            ? null
                            : state.lastOutcome.result().name(),
                    state.lastProblem,
                    state.lastProblemAt == null ? null : state.lastProblemAt.toString(),
                    list == null ? 0 : list.otherEntries(),
                    list == null ? List.of() : list.warnings(),
                    fetcher.circuitState(state.spec.name()).map(Enum::name).orElse(null)));
        }
        SanctionsStatus.Oracle oracleView = oracle.map(o -> new SanctionsStatus.Oracle(
                        o.describe(),
                        health.lastAnswerAt() == null
                                ? null
                                : health.lastAnswerAt().toString(),
                        health.lastFailureAt() == null
                                ? null
                                : health.lastFailureAt().toString(),
                        health.lastFailure()))
                .orElse(null);
        List<SanctionsStatus.OverrideView> overrideViews = overrides.values().stream()
                .map(o -> new SanctionsStatus.OverrideView(o.address().toString(), o.reason(), o.decidedBy()))
                .toList();
        return new SanctionsStatus(
                problems.isEmpty(),
                problems,
                settings.whenNotCurrent().name(),
                settings.maxShrink(),
                now.toString(),
                views,
                oracleView,
                overrideViews);
    }

    private ReloadOutcome reloadOne(SourceState state, Trigger trigger, Actor actor, boolean acceptShrink) {
        SourceSpec spec = state.spec;
        Instant now = clock.instant();
        state.lastAttemptAt = now;
        if (spec.location() instanceof ListLocation.LocalFile file) {
            // Taken before reading: a change while we read shows up as another change at the next poll.
            state.lastSeenFile = ListFetcher.stamp(file);
        }
        SanctionsList previous = state.current;
        SanctionsList loaded;
        try {
            loaded = loader.load(spec, now);
        } catch (RuntimeException e) {
            return kept(
                    state,
                    ReloadOutcome.Result.FAILED,
                    e.getMessage() == null ? e.toString() : e.getMessage(),
                    trigger,
                    actor);
        }
        if (loaded.addresses().size() == 0) {
            return kept(
                    state,
                    ReloadOutcome.Result.REJECTED,
                    spec.name() + " (sha256 " + loaded.version().sha256()
                            + ") holds no EVM address; an empty list is never used",
                    trigger,
                    actor);
        }
        if (previous != null
                && previous.version().sha256().equals(loaded.version().sha256())) {
            state.current = previous.confirmedAt(later(previous.freshSince(), loaded.freshSince()));
            return settle(
                    state,
                    new ReloadOutcome(
                            spec.name(),
                            ReloadOutcome.Result.UNCHANGED,
                            Optional.of(previous.version()),
                            "unchanged: " + previous.version().describe()));
        }
        boolean shrank = previous != null
                && loaded.addresses().size() < previous.addresses().size() * (1 - settings.maxShrink());
        if (shrank && !acceptShrink) {
            return kept(
                    state,
                    ReloadOutcome.Result.REJECTED,
                    "%s shrank from %d to %d entries (sha256 %s), by more than the %s%% allowed (max-shrink); check the source, and if the delisting is real, accept it with POST /v1/admin/sanctions/reload?source=%s&acceptShrink=true"
                            .formatted(
                                    spec.name(),
                                    previous.addresses().size(),
                                    loaded.addresses().size(),
                                    loaded.version().sha256(),
                                    percent(settings.maxShrink()),
                                    spec.name()),
                    trigger,
                    actor);
        }
        try {
            events.listLoaded(
                    loaded.version(),
                    Optional.ofNullable(previous).map(SanctionsList::version),
                    trigger,
                    actor,
                    shrank);
        } catch (RuntimeException e) {
            return kept(
                    state,
                    ReloadOutcome.Result.FAILED,
                    "the new version of " + spec.name() + " (sha256 "
                            + loaded.version().sha256()
                            + ") could not be recorded in the audit log, so it is not used: " + e.getMessage(),
                    trigger,
                    actor);
        }
        state.current = loaded;
        log.info(
                "sanctions source {} now screens with {} (trigger {}{})",
                spec.name(),
                loaded.version().describe(),
                trigger,
                previous == null ? "" : ", was " + previous.version().describe());
        if (loaded.otherEntries() > 0) {
            log.info(
                    "sanctions source {}: {} entries of other currencies (not EVM addresses) skipped",
                    spec.name(),
                    loaded.otherEntries());
        }
        loaded.warnings().forEach(warning -> log.warn("sanctions source {}: {}", spec.name(), warning));
        return settle(
                state,
                new ReloadOutcome(
                        spec.name(),
                        ReloadOutcome.Result.LOADED,
                        Optional.of(loaded.version()),
                        "loaded " + loaded.version().describe()
                                + (shrank ? " (shrink accepted by " + actor + ")" : "")));
    }

    private ReloadOutcome settle(SourceState state, ReloadOutcome outcome) {
        state.lastOutcome = outcome;
        state.lastProblem = null;
        state.lastProblemAt = null;
        return outcome;
    }

    private ReloadOutcome kept(
            SourceState state, ReloadOutcome.Result result, String problem, Trigger trigger, Actor actor) {
        Optional<ListVersion> kept = Optional.ofNullable(state.current).map(SanctionsList::version);
        String message = problem
                + kept.map(v -> "; still screening with " + v.describe())
                        .orElse("; the source has no version, so screening is not current");
        if (result == ReloadOutcome.Result.REJECTED || kept.isEmpty()) {
            log.error("sanctions source {} ({} on {}): {}", state.spec.name(), result, trigger, message);
        } else {
            log.warn("sanctions source {} ({} on {}): {}", state.spec.name(), result, trigger, message);
        }
        try {
            events.reloadKept(state.spec.name(), result, problem, kept, trigger, actor);
        } catch (RuntimeException e) {
            if (DatabaseFailures.unavailable(e)) {
                // The reload is retried on its own schedule; a stack trace would say nothing more.
                log.warn(
                        "could not record the failed reload of sanctions source {} in the audit log: the database is"
                                + " unavailable ({})",
                        state.spec.name(),
                        DatabaseFailures.explain(e));
            } else {
                log.error(
                        "could not record the failed reload of sanctions source {} in the audit log",
                        state.spec.name(),
                        e);
            }
        }
        ReloadOutcome outcome = new ReloadOutcome(state.spec.name(), result, kept, message);
        state.lastOutcome = outcome;
        state.lastProblem = message;
        state.lastProblemAt = clock.instant();
        return outcome;
    }

    private void publish() {
        Map<String, SanctionsList> current = new LinkedHashMap<>();
        List<AddressTable> tables = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (SourceState state : sources.values()) {
            if (state.current != null) {
                current.put(state.spec.name(), state.current);
                tables.add(state.current.addresses());
                versions.add(state.current.version().describe());
            }
        }
        if (!overrides.isEmpty()) {
            versions.add(overridesVersion());
        }
        AddressTable merged = tables.size() == 1 ? tables.getFirst() : AddressTable.union(tables);
        snapshot = new Snapshot(merged, Map.copyOf(current), List.copyOf(versions));
    }

    private List<String> listProblems(Snapshot current, Instant now) {
        List<String> problems = new ArrayList<>();
        for (SourceState state : sources.values()) {
            SanctionsList list = current.current().get(state.spec.name());
            if (list == null) {
                problems.add("sanctions source " + state.spec.name() + " has never loaded"
                        + (state.lastProblem == null ? "" : " (" + state.lastProblem + ")"));
            } else if (isStale(state.spec, list, now)) {
                problems.add("sanctions source %s is %s old (current as of %s), more than its max-age of %s"
                        .formatted(
                                state.spec.name(),
                                human(Duration.between(list.freshSince(), now)),
                                list.freshSince(),
                                human(state.spec.maxAge().orElseThrow())));
            }
        }
        return problems;
    }

    private static boolean isStale(SourceSpec spec, SanctionsList list, Instant now) {
        return spec.maxAge()
                .map(max -> Duration.between(list.freshSince(), now).compareTo(max) > 0)
                .orElse(false);
    }

    private boolean isDue(SourceState state, Instant now) {
        if (state.lastAttemptAt == null) {
            return true;
        }
        Duration wait = state.spec.refreshInterval();
        if (state.lastOutcome != null && state.lastOutcome.kept() && wait.compareTo(RETRY_AFTER_FAILURE) > 0) {
            wait = RETRY_AFTER_FAILURE;
        }
        return !now.isBefore(state.lastAttemptAt.plus(wait));
    }

    private void screenWithOracle(SanctionsOracle o, Set<Address> touched, Set<Address> listed, List<String> problems) {
        try {
            for (Address address : touched) {
                if (o.isSanctioned(address)) {
                    listed.add(address);
                }
            }
            oracleHealth =
                    new OracleHealth(clock.instant(), oracleHealth.lastFailureAt(), oracleHealth.lastFailure(), false);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            problems.add("the sanctions " + o.describe() + " could not be asked (" + reason + ")");
            if (!oracleHealth.failing() || !reason.equals(oracleHealth.lastFailure())) {
                log.warn(
                        "the sanctions {} could not be asked; requests that move value are refused: {}",
                        o.describe(),
                        reason);
            }
            oracleHealth = new OracleHealth(oracleHealth.lastAnswerAt(), clock.instant(), reason, true);
        }
    }

    private String overridesVersion() {
        return "overrides (%d entries, sha256 %s)".formatted(overrides.size(), overridesSha256);
    }

    private static String canonicalOverrides(List<AllowOverride> overrides) {
        StringBuilder text = new StringBuilder();
        overrides.stream()
                .sorted(Comparator.comparing(AllowOverride::address))
                .forEach(o -> text.append(o.address().toLowerHex())
                        .append('\t')
                        .append(o.reason())
                        .append('\t')
                        .append(o.decidedBy())
                        .append('\n'));
        return text.toString();
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(Sha256.hash(text));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String percent(double fraction) {
        return BigDecimal.valueOf(fraction * 100).stripTrailingZeros().toPlainString();
    }

    /** Durations as people read them: "9d 4h", "3h 12m", "45s". */
    static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        return minutes > 0 ? minutes + "m " + seconds % 60 + "s" : seconds + "s";
    }
}
