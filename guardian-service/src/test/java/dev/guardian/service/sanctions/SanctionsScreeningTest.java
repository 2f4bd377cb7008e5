package dev.guardian.service.sanctions;

import static dev.guardian.service.sanctions.ListParsersTest.JIMENEZ;
import static dev.guardian.service.sanctions.ListParsersTest.POTEKHIN;
import static dev.guardian.service.sanctions.ListParsersTest.USDT_ONLY;
import static dev.guardian.service.sanctions.ListParsersTest.VALERIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainUnavailableException;
import dev.guardian.service.sanctions.ReloadOutcome.Result;
import dev.guardian.service.testsupport.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Screening as the service runs it, without the service: real files in a temporary folder, a real HTTP
 * publisher on a loopback port, a clock the test moves. Each reload trigger, the guards that keep the
 * previous version, staleness, the overrides and the oracle.
 */
class SanctionsScreeningTest {
    private static final Address CLEAN = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final String SHIPPED = ListParsersTest.resource("/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt");
    private static final FetchSettings QUICK_FETCH =
            new FetchSettings(Duration.ofSeconds(2), 3, Duration.ofMillis(10), 6, Duration.ofMinutes(1), 1 << 20);
    private static final SanctionsScreening.Settings DENY = new SanctionsScreening.Settings(0.25, Verdict.DENY);

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final RecordingEvents events = new RecordingEvents();
    private final ListServer publisher = ListServer.start();

    @AfterEach
    void stopPublisher() {
        publisher.close();
    }

    @Test
    void mergesEverySourceIntoOneScreeningThatNamesEachVersion() {
        SourceSpec text = file("eth.txt", ListFormat.TEXT, POTEKHIN + "\n" + JIMENEZ.toLowerHex() + "\n");
        SourceSpec json = file("extra.json", ListFormat.JSON, "[\"" + VALERIAN + "\"]");
        publisher.serve("address,name\n" + USDT_ONLY.toLowerHex() + ",\"POLYANIN, Aleksandr\"\n");
        SourceSpec csv = url("ultrasound", ListFormat.CSV, Duration.ofHours(1), Optional.empty());
        SanctionsScreening screening = screening(List.of(text, json, csv));

        ScreeningResult result = screening.screen(set(POTEKHIN, JIMENEZ, VALERIAN, USDT_ONLY, CLEAN));

        assertThat(result.hits()).containsExactlyInAnyOrder(POTEKHIN, JIMENEZ, VALERIAN, USDT_ONLY);
        assertThat(result.notCurrent()).isEmpty();
        assertThat(result.versions()).hasSize(3);
        assertThat(result.versions().get(0))
                .startsWith("eth.txt@")
                .contains("2 entries")
                .contains(sha256Of(folder.resolve("eth.txt")));
        assertThat(result.versions().get(1)).startsWith("extra.json@").contains("1 entries");
        assertThat(result.versions().get(2)).startsWith("ultrasound@2026-11-26").contains("1 entries");
        assertThat(result.listVersion()).isEqualTo(String.join("; ", result.versions()));
    }

    @Test
    void allowsAnOverriddenAddressAndSaysWhyInEveryResult() {
        SourceSpec list = file("list.txt", ListFormat.TEXT, POTEKHIN + "\n" + JIMENEZ + "\n");
        AllowOverride override =
                new AllowOverride(JIMENEZ, "same key, different person: KYC file 2026-0042", "treasury:maria");
        SanctionsScreening screening = new SanctionsScreening(
                List.of(list), List.of(override), Optional.empty(), DENY, QUICK_FETCH, events, clock);
        screening.start();

        ScreeningResult result = screening.screen(set(POTEKHIN, JIMENEZ));

        assertThat(result.hits()).containsExactly(POTEKHIN);
        assertThat(result.overridden()).containsOnlyKeys(JIMENEZ);
        assertThat(result.overridden().get(JIMENEZ))
                .contains("KYC file 2026-0042")
                .contains("treasury:maria");
        assertThat(result.versions()).anySatisfy(v -> assertThat(v).startsWith("overrides (1 entries, sha256 "));
        assertThat(events.kinds()).startsWith("overrides");
        assertThat(screening.status().overrides())
                .extracting(SanctionsStatus.OverrideView::address)
                .containsExactly(JIMENEZ.toString());
    }

    @Test
    void reloadsAFileWhenItChangesAndThenNoLongerBlocksADelistedAddress() {
        // OFAC's list of 2025-11-19, from which Jimenez Castro's address is then removed.
        SourceSpec list = file("list.txt", ListFormat.TEXT, SHIPPED);
        SanctionsScreening screening = screening(List.of(list));
        String before = screening.screen(set(JIMENEZ)).listVersion();
        assertThat(screening.screen(set(JIMENEZ)).hits()).containsExactly(JIMENEZ);

        assertThat(screening.refreshDue()).as("nothing changed").isEmpty();
        rewrite(
                folder.resolve("list.txt"),
                SHIPPED.lines()
                        .filter(line -> !line.equalsIgnoreCase(JIMENEZ.toLowerHex()))
                        .collect(Collectors.joining("\n", "", "\n")));
        List<ReloadOutcome> outcomes = screening.refreshDue();

        assertThat(outcomes).extracting(ReloadOutcome::result).containsExactly(Result.LOADED);
        ScreeningResult after = screening.screen(set(JIMENEZ, POTEKHIN));
        assertThat(after.hits()).containsExactly(POTEKHIN);
        assertThat(after.listVersion())
                .isNotEqualTo(before)
                .contains("80 entries")
                .contains(sha256Of(folder.resolve("list.txt")));
        assertThat(events.last())
                .extracting(RecordingEvents.Event::kind, RecordingEvents.Event::trigger)
                .containsExactly("loaded", Trigger.FILE_CHANGE);
        assertThat(screening.refreshDue()).as("read once per change").isEmpty();
    }

    @Test
    void fetchesAUrlWhenItsRefreshIsDueByTheClock() {
        publisher.serve(POTEKHIN + "\n");
        SanctionsScreening screening =
                screening(List.of(url("ofac", ListFormat.TEXT, Duration.ofHours(1), Optional.empty())));
        assertThat(publisher.requests()).isOne();

        clock.advance(Duration.ofMinutes(59));
        assertThat(screening.refreshDue()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(screening.refreshDue()).extracting(ReloadOutcome::result).containsExactly(Result.UNCHANGED);

        publisher.serve(POTEKHIN + "\n" + JIMENEZ + "\n");
        clock.advance(Duration.ofHours(1));
        assertThat(screening.refreshDue()).extracting(ReloadOutcome::result).containsExactly(Result.LOADED);

        assertThat(publisher.requests()).isEqualTo(3);
        assertThat(screening.screen(set(JIMENEZ)).hits()).containsExactly(JIMENEZ);
        assertThat(events.last()).extracting(RecordingEvents.Event::trigger).isEqualTo(Trigger.SCHEDULE);
    }

    @Test
    void reloadsOnAnAdminCallAndRecordsWhoAskedForIt() {
        SourceSpec list = file("list.txt", ListFormat.TEXT, POTEKHIN + "\n");
        SanctionsScreening screening = screening(List.of(list));
        rewrite(folder.resolve("list.txt"), POTEKHIN + "\n" + VALERIAN + "\n");

        List<ReloadOutcome> outcomes =
                screening.reload(Optional.of("list.txt"), Trigger.ADMIN, Actor.person("alice"), false);

        assertThat(outcomes).singleElement().extracting(ReloadOutcome::result).isEqualTo(Result.LOADED);
        assertThat(events.last())
                .extracting(RecordingEvents.Event::trigger, RecordingEvents.Event::actor)
                .containsExactly(Trigger.ADMIN, Actor.person("alice"));
        assertThat(screening.screen(set(VALERIAN)).hits()).containsExactly(VALERIAN);
        assertThatThrownBy(() -> screening.reload(Optional.of("nope"), Trigger.ADMIN, Actor.person("alice"), false))
                .hasMessageContaining("no sanctions source is named 'nope'");
    }

    @Test
    void keepsThePreviousVersionWhenAReloadShrinksTooMuchUntilAPersonAcceptsIt() {
        SourceSpec list = file("ofac.txt", ListFormat.TEXT, SHIPPED);
        SanctionsScreening screening = screening(List.of(list));
        String kept = screening.screen(set(CLEAN)).listVersion();
        List<String> lines = SHIPPED.lines().toList();
        rewrite(folder.resolve("ofac.txt"), String.join("\n", lines.subList(0, 40)) + "\n");
        Address dropped = Address.parseLenient(lines.get(60));

        List<ReloadOutcome> rejected = screening.refreshDue();

        assertThat(rejected).singleElement().satisfies(outcome -> {
            assertThat(outcome.result()).isEqualTo(Result.REJECTED);
            assertThat(outcome.message())
                    .contains("shrank from 81 to 40 entries")
                    .contains("still screening with");
        });
        assertThat(screening.screen(set(dropped)).hits()).containsExactly(dropped);
        assertThat(screening.screen(set(CLEAN)).listVersion()).isEqualTo(kept);
        assertThat(events.last().kind()).isEqualTo("rejected");
        assertThat(screening.status().sources()).singleElement().satisfies(source -> {
            assertThat(source.lastOutcome()).isEqualTo("REJECTED");
            assertThat(source.lastProblem()).contains("shrank from 81 to 40");
            assertThat(source.version().entries()).isEqualTo(81);
        });

        List<ReloadOutcome> accepted =
                screening.reload(Optional.of("ofac.txt"), Trigger.ADMIN, Actor.person("alice"), true);

        assertThat(accepted).extracting(ReloadOutcome::result).containsExactly(Result.LOADED);
        assertThat(events.last().detail()).endsWith("shrink accepted");
        assertThat(screening.screen(set(dropped)).hits()).isEmpty();
    }

    @Test
    void acceptsAShrinkWithinTheAllowedFraction() {
        SanctionsScreening screening = screening(List.of(file("ofac.txt", ListFormat.TEXT, SHIPPED)));
        List<String> lines = SHIPPED.lines().toList();
        rewrite(
                folder.resolve("ofac.txt"),
                String.join("\n", lines.subList(0, 61)) + "\n"); // 81 -> 61: under 25 % fewer

        assertThat(screening.refreshDue()).extracting(ReloadOutcome::result).containsExactly(Result.LOADED);
    }

    @Test
    void neverUsesAListThatTurnsUpEmpty() {
        SanctionsScreening screening = screening(List.of(file("list.txt", ListFormat.TEXT, POTEKHIN + "\n")));
        rewrite(folder.resolve("list.txt"), "# truncated by a failed sync\n");

        assertThat(screening.refreshDue()).singleElement().satisfies(outcome -> {
            assertThat(outcome.result()).isEqualTo(Result.REJECTED);
            assertThat(outcome.message()).contains("holds no EVM address");
        });
        assertThat(screening.screen(set(POTEKHIN)).hits()).containsExactly(POTEKHIN);
    }

    @Test
    void keepsThePreviousVersionWhenTheNewContentIsMalformedOrTheFileIsGone() throws IOException {
        SanctionsScreening screening = screening(List.of(file("list.txt", ListFormat.TEXT, POTEKHIN + "\n")));
        rewrite(folder.resolve("list.txt"), POTEKHIN + "\n0x12345\n");

        assertThat(screening.refreshDue()).singleElement().satisfies(outcome -> {
            assertThat(outcome.result()).isEqualTo(Result.FAILED);
            assertThat(outcome.message()).contains("line 2").contains("still screening with list.txt@");
        });
        Files.delete(folder.resolve("list.txt"));
        assertThat(screening.refreshDue())
                .singleElement()
                .satisfies(outcome -> assertThat(outcome.message()).contains("does not exist"));

        assertThat(screening.screen(set(POTEKHIN)).hits()).containsExactly(POTEKHIN);
        assertThat(events.kinds()).endsWith("failed", "failed");
    }

    @Test
    void retriesAFailingFetchBeforeGivingUp() {
        publisher.serve(POTEKHIN + "\n");
        publisher.failNext(2, 503);

        SanctionsScreening screening =
                screening(List.of(url("ofac", ListFormat.TEXT, Duration.ofHours(1), Optional.empty())));

        assertThat(publisher.requests()).isEqualTo(3);
        assertThat(screening.screen(set(POTEKHIN)).hits()).containsExactly(POTEKHIN);
        assertThat(screening.status().current()).isTrue();
    }

    @Test
    void doesNotRetryANotFoundAndStopsFetchingOnceTheCircuitOpens() {
        publisher.serve(POTEKHIN + "\n");
        SanctionsScreening screening =
                screening(List.of(url("ofac", ListFormat.TEXT, Duration.ofHours(1), Optional.empty())));

        publisher.failWith(404);
        screening.reload(Optional.empty(), Trigger.ADMIN, Actor.person("alice"), false);
        assertThat(publisher.requests()).as("a 404 is asked once").isEqualTo(2);

        publisher.failWith(500);
        screening.reload(Optional.empty(), Trigger.ADMIN, Actor.person("alice"), false);
        screening.reload(Optional.empty(), Trigger.ADMIN, Actor.person("alice"), false);
        int afterFailures = publisher.requests();
        List<ReloadOutcome> suspended = screening.reload(Optional.empty(), Trigger.ADMIN, Actor.person("alice"), false);

        assertThat(publisher.requests()).isEqualTo(afterFailures);
        assertThat(suspended).singleElement().satisfies(outcome -> {
            assertThat(outcome.result()).isEqualTo(Result.FAILED);
            assertThat(outcome.message()).contains("suspended after repeated failures");
        });
        assertThat(screening.status().sources().getFirst().circuit()).isEqualTo("OPEN");
        assertThat(screening.screen(set(POTEKHIN)).hits())
                .as("the previous version still screens")
                .containsExactly(POTEKHIN);
    }

    @Test
    void screeningIsNotCurrentOnceAFileIsOlderThanItsMaxAge() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        SourceSpec list = new SourceSpec(
                "list",
                new ListLocation.LocalFile(write("list.txt", POTEKHIN + "\n")),
                ListFormat.TEXT,
                Optional.of(today),
                Optional.of(Duration.ofDays(2)),
                Duration.ofHours(6));
        SanctionsScreening screening = screening(List.of(list));
        assertThat(screening.screen(set(CLEAN)).notCurrent()).isEmpty();

        clock.advance(Duration.ofDays(3));
        ScreeningResult stale = screening.screen(set(CLEAN));

        assertThat(stale.hits()).isEmpty();
        assertThat(stale.notCurrent()).hasValueSatisfying(notCurrent -> {
            assertThat(notCurrent.verdict()).isEqualTo(Verdict.DENY);
            assertThat(notCurrent.problems())
                    .singleElement()
                    .asString()
                    .contains("list is 3d 12h old")
                    .contains("max-age of 2d 0h");
        });
        assertThat(screening.status().current()).isFalse();
        assertThat(screening.status().sources().getFirst().stale()).isTrue();
    }

    @Test
    void escalatesInsteadOfDenyingWhenConfigured() {
        SourceSpec list = new SourceSpec(
                "list",
                new ListLocation.LocalFile(write("list.txt", POTEKHIN + "\n")),
                ListFormat.TEXT,
                Optional.of(LocalDate.of(2025, 11, 19)),
                Optional.of(Duration.ofDays(30)),
                Duration.ofHours(6));
        SanctionsScreening screening = new SanctionsScreening(
                List.of(list),
                List.of(),
                Optional.empty(),
                new SanctionsScreening.Settings(0.25, Verdict.ESCALATE),
                QUICK_FETCH,
                events,
                clock);
        screening.start();

        assertThat(screening.screen(set(CLEAN)).notCurrent())
                .map(ScreeningResult.NotCurrent::verdict)
                .contains(Verdict.ESCALATE);
    }

    @Test
    void aUrlStaysCurrentWhileItCanBeFetchedAndGoesStaleWhenItCannot() {
        publisher.serve(POTEKHIN + "\n");
        SanctionsScreening screening =
                screening(List.of(url("ofac", ListFormat.TEXT, Duration.ofHours(1), Optional.of(Duration.ofHours(4)))));
        for (int hour = 0; hour < 6; hour++) {
            clock.advance(Duration.ofHours(1));
            screening.refreshDue();
        }
        assertThat(screening.screen(set(CLEAN)).notCurrent())
                .as("fetched every hour")
                .isEmpty();

        publisher.failWith(503);
        for (int hour = 0; hour < 5; hour++) {
            clock.advance(Duration.ofHours(1));
            screening.refreshDue();
        }

        ScreeningResult result = screening.screen(set(POTEKHIN));
        assertThat(result.hits()).containsExactly(POTEKHIN);
        assertThat(result.notCurrent())
                .hasValueSatisfying(notCurrent -> assertThat(notCurrent.problems())
                        .singleElement()
                        .asString()
                        .contains("ofac is 5h 0m old"));
        assertThat(screening.status().sources().getFirst().lastProblem())
                .containsAnyOf("HTTP 503", "suspended after repeated failures");
    }

    @Test
    void aSourceThatNeverLoadedMakesScreeningNotCurrent() {
        publisher.failWith(503);
        SourceSpec list = file("list.txt", ListFormat.TEXT, POTEKHIN + "\n");
        SanctionsScreening screening =
                screening(List.of(list, url("ofac", ListFormat.TEXT, Duration.ofHours(1), Optional.empty())));

        ScreeningResult result = screening.screen(set(POTEKHIN));

        assertThat(result.hits()).containsExactly(POTEKHIN);
        assertThat(result.versions()).singleElement().asString().startsWith("list.txt@");
        assertThat(result.notCurrent())
                .hasValueSatisfying(notCurrent -> assertThat(notCurrent.problems())
                        .singleElement()
                        .asString()
                        .contains("ofac has never loaded")
                        .contains("HTTP 503"));
        assertThat(events.kinds()).contains("failed");
    }

    @Test
    void theOracleAddsItsHitsAndItsOutageMakesScreeningNotCurrent() {
        AtomicReference<RuntimeException> outage = new AtomicReference<>();
        SanctionsOracle oracle = new SanctionsOracle() {
            @Override
            public boolean isSanctioned(Address who) {
                if (outage.get() != null) {
                    throw outage.get();
                }
                return who.equals(CLEAN);
            }

            @Override
            public String describe() {
                return "oracle 0xabc on chain 31337";
            }
        };
        SanctionsScreening screening = new SanctionsScreening(
                List.of(file("list.txt", ListFormat.TEXT, POTEKHIN + "\n")),
                List.of(),
                Optional.of(oracle),
                DENY,
                QUICK_FETCH,
                events,
                clock);
        screening.start();

        ScreeningResult answered = screening.screen(set(POTEKHIN, CLEAN));
        assertThat(answered.hits()).containsExactlyInAnyOrder(POTEKHIN, CLEAN);
        assertThat(answered.versions()).contains("oracle 0xabc on chain 31337");
        assertThat(answered.notCurrent()).isEmpty();

        outage.set(new ChainUnavailableException("eth_call: could not connect to the chain"));
        ScreeningResult unanswered = screening.screen(set(VALERIAN));

        assertThat(unanswered.notCurrent()).hasValueSatisfying(notCurrent -> {
            assertThat(notCurrent.verdict()).isEqualTo(Verdict.DENY);
            assertThat(notCurrent.problems())
                    .singleElement()
                    .asString()
                    .contains("oracle 0xabc on chain 31337 could not be asked")
                    .contains("could not connect");
        });
        assertThat(screening.status().oracle().lastFailure()).contains("could not connect");
        assertThat(screening.status().current()).isFalse();
    }

    @Test
    void aFailureInsideScreeningNeverLetsARequestThrough() {
        SanctionsScreening screening = screening(List.of(file("list.txt", ListFormat.TEXT, POTEKHIN + "\n")));
        Set<Address> withANull = new HashSet<>();
        withANull.add(CLEAN);
        withANull.add(null);

        ScreeningResult result = screening.screen(withANull);

        assertThat(result.notCurrent()).hasValueSatisfying(notCurrent -> {
            assertThat(notCurrent.verdict()).isEqualTo(Verdict.DENY);
            assertThat(notCurrent.problems()).singleElement().asString().startsWith("screening failed");
        });
    }

    @Test
    void aNewVersionThatCannotBeRecordedIsNotUsed() {
        SanctionsScreening screening = screening(List.of(file("list.txt", ListFormat.TEXT, POTEKHIN + "\n")));
        events.failRecordingVersions = true;
        rewrite(folder.resolve("list.txt"), JIMENEZ + "\n");

        assertThat(screening.refreshDue()).singleElement().satisfies(outcome -> {
            assertThat(outcome.result()).isEqualTo(Result.FAILED);
            assertThat(outcome.message()).contains("could not be recorded in the audit log");
        });
        assertThat(screening.screen(set(POTEKHIN, JIMENEZ)).hits()).containsExactly(POTEKHIN);
    }

    @Test
    void statusShowsEachSourcesVersionAgeAndFreshness() {
        publisher.serve(POTEKHIN + "\n");
        SanctionsScreening screening = screening(List.of(
                file("list.txt", ListFormat.TEXT, JIMENEZ + "\n"),
                url("ofac", ListFormat.TEXT, Duration.ofHours(1), Optional.of(Duration.ofHours(4)))));
        clock.advance(Duration.ofMinutes(30));

        SanctionsStatus status = screening.status();

        assertThat(status.current()).isTrue();
        assertThat(status.whenNotCurrent()).isEqualTo("DENY");
        assertThat(status.sources()).extracting(SanctionsStatus.Source::name).containsExactly("list.txt", "ofac");
        SanctionsStatus.Source remote = status.sources().get(1);
        assertThat(remote.age()).isEqualTo("PT30M");
        assertThat(remote.maxAge()).isEqualTo("PT4H");
        assertThat(remote.refreshInterval()).isEqualTo("PT1H");
        assertThat(remote.version().sha256()).hasSize(64);
        assertThat(remote.version().asOf()).isEqualTo("2026-11-26");
        assertThat(remote.lastOutcome()).isEqualTo("LOADED");
        assertThat(remote.circuit()).isEqualTo("CLOSED");
        assertThat(status.sources().getFirst().refreshInterval())
                .as("files are watched, not fetched")
                .isNull();
    }

    private SanctionsScreening screening(List<SourceSpec> sources) {
        SanctionsScreening screening =
                new SanctionsScreening(sources, List.of(), Optional.empty(), DENY, QUICK_FETCH, events, clock);
        screening.start();
        return screening;
    }

    private SourceSpec file(String name, ListFormat format, String content) {
        return new SourceSpec(
                name,
                new ListLocation.LocalFile(write(name, content)),
                format,
                Optional.empty(),
                Optional.empty(),
                Duration.ofHours(6));
    }

    private SourceSpec url(String name, ListFormat format, Duration refresh, Optional<Duration> maxAge) {
        return new SourceSpec(
                name, new ListLocation.Remote(publisher.uri("/" + name)), format, Optional.empty(), maxAge, refresh);
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(folder.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites a file and moves its modification time on, as a sync job's rename would. */
    private static void rewrite(Path file, String content) {
        try {
            FileTime before = Files.getLastModifiedTime(file);
            Files.writeString(file, content);
            Files.setLastModifiedTime(file, FileTime.from(before.toInstant().plusSeconds(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256Of(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<Address> set(Address... addresses) {
        return new LinkedHashSet<>(new ArrayList<>(List.of(addresses)));
    }
}
