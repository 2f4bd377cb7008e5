package dev.guardian.service.sanctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

/** Configuration as operators write it: the defaults, and every bad value refused with its property named. */
class SanctionsConfigurationTest {
    @TempDir
    Path folder;

    @Test
    void withNoSourceConfiguredScreensAgainstTheShippedListAsBefore() {
        List<SourceSpec> sources = SanctionsConfiguration.sources(properties(List.of()));

        assertThat(sources).singleElement().satisfies(source -> {
            assertThat(source.name()).isEqualTo("ofac_sdn_evm_addresses_2025-11-19.txt");
            assertThat(source.location())
                    .isEqualTo(new ListLocation.Classpath("/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt"));
            assertThat(source.asOf()).contains(LocalDate.of(2025, 11, 19));
            assertThat(source.maxAge())
                    .as("the shipped list has no max-age, so the quick start keeps working")
                    .isEmpty();
        });
        assertThat(SanctionsConfiguration.class.getResource("/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt"))
                .isNotNull();
        assertThat(SanctionsConfiguration.class.getResource("/sanctions/PROVENANCE.md"))
                .isNotNull();
    }

    @Test
    void readsASourceAndGivesAUrlAMaxAgeOfFourRefreshes() throws IOException {
        Path file = Files.writeString(folder.resolve("sdn_advanced.xml"), "<Sanctions/>");
        List<SourceSpec> sources = SanctionsConfiguration.sources(properties(List.of(
                new SanctionsProperties.Source(null, "sdn-advanced-xml", file.toString(), null, null, null),
                new SanctionsProperties.Source(
                        "ofac-csv",
                        "sdn-csv",
                        "https://www.treasury.gov/ofac/downloads/sdn.csv?key=secret",
                        "2026-11-25",
                        null,
                        Duration.ofHours(2)))));

        assertThat(sources.get(0).name()).isEqualTo("sdn_advanced.xml");
        assertThat(sources.get(0).format()).isEqualTo(ListFormat.SDN_ADVANCED_XML);
        assertThat(sources.get(0).maxAge()).isEmpty();
        assertThat(sources.get(1).isRemote()).isTrue();
        assertThat(sources.get(1).maxAge()).contains(Duration.ofHours(8));
        assertThat(sources.get(1).asOf()).contains(LocalDate.of(2026, 11, 25));
        assertThat(sources.get(1).location().describe())
                .as("no query string in records: it may hold a key")
                .isEqualTo("https://www.treasury.gov/ofac/downloads/sdn.csv");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            xlsx             | https://example.org/list.xlsx | -          | guardian.sanctions.sources[0].type: unknown list type 'xlsx'
            text             | http://example.org/list.txt   | -          | guardian.sanctions.sources[0].location: a list URL must be https
            text             | ftp://example.org/list.txt    | -          | guardian.sanctions.sources[0].location: a list is read from a file, a classpath: resource or an https URL
            text             | /nowhere/list.txt             | -          | guardian.sanctions.sources[0].location: /nowhere/list.txt is not a file
            text             | classpath:/nowhere.txt        | 2025-11-19 | guardian.sanctions.sources[0].location: classpath:/nowhere.txt is not in Guardian's classpath
            text             | https://example.org/list.txt  | 19/11/2025 | guardian.sanctions.sources[0].as-of: '19/11/2025' is not a date
            """)
    void refusesABadSourceNamingItsProperty(String type, String location, String asOf, String message) {
        SanctionsProperties properties = properties(List.of(
                new SanctionsProperties.Source("s", type, location, asOf.equals("-") ? null : asOf, null, null)));

        assertThatThrownBy(() -> SanctionsConfiguration.sources(properties)).hasMessageStartingWith(message);
    }

    @Test
    void acceptsPlainHttpOnlyToALoopbackMirror() {
        assertThat(SanctionsConfiguration.sources(properties(List.of(new SanctionsProperties.Source(
                        "mirror", "text", "http://127.0.0.1:8089/list.txt", null, null, null)))))
                .singleElement()
                .extracting(SourceSpec::isRemote)
                .isEqualTo(true);
    }

    @Test
    void refusesTwoSourcesOfTheSameName() {
        SanctionsProperties properties = properties(List.of(
                new SanctionsProperties.Source("ofac", "text", "https://a.example/list.txt", null, null, null),
                new SanctionsProperties.Source("ofac", "json", "https://b.example/list.json", null, null, null)));

        assertThatThrownBy(() -> SanctionsConfiguration.sources(properties))
                .hasMessageStartingWith("guardian.sanctions.sources[1].name: 'ofac' is already the name of sources[0]");
    }

    @Test
    void readsOverridesAndRefusesOneWithABadChecksumOrTwiceTheSameAddress() {
        String good = "0x7F367cC41522cE07553e823bf3be79A889DEbe1B";
        assertThat(SanctionsConfiguration.overrides(withOverrides(List.of(
                        new SanctionsProperties.OverrideEntry(good, "not the listed party", "treasury:maria")))))
                .containsExactly(new AllowOverride(Address.parse(good), "not the listed party", "treasury:maria"));

        assertThatThrownBy(() ->
                        SanctionsConfiguration.overrides(withOverrides(List.of(new SanctionsProperties.OverrideEntry(
                                "0x7f367cC41522cE07553e823bf3be79A889DEbe1B", "typo", "x")))))
                .hasMessageStartingWith("guardian.sanctions.overrides[0].address: address checksum (EIP-55) is wrong");
        assertThatThrownBy(() -> SanctionsConfiguration.overrides(withOverrides(List.of(
                        new SanctionsProperties.OverrideEntry(good, "a", "x"),
                        new SanctionsProperties.OverrideEntry(good.toLowerCase(), "b", "y")))))
                .hasMessageStartingWith("guardian.sanctions.overrides[1].address");
    }

    @Test
    void refusesToAllowWhenScreeningIsNotCurrentAndAFractionOutsideZeroToOne() {
        assertThat(SanctionsConfiguration.settings(settings("escalate", 0.5)).whenNotCurrent())
                .isEqualTo(Verdict.ESCALATE);
        assertThatThrownBy(() -> SanctionsConfiguration.settings(settings("allow", 0.25)))
                .hasMessageStartingWith("guardian.sanctions.when-not-current: 'allow' is neither deny nor escalate");
        assertThatThrownBy(() -> SanctionsConfiguration.settings(settings("deny", 1.5)))
                .hasMessageStartingWith("guardian.sanctions.max-shrink");
    }

    @Test
    void knowsChainalysisOracleOnBaseAndOnEthereum() {
        assertThat(Address.parse(SanctionsConfiguration.KNOWN_ORACLES.get(8453L)))
                .hasToString("0x3A91A31cB3dC49b4db9Ce721F50a9D076c8D739B");
        assertThat(Address.parse(SanctionsConfiguration.KNOWN_ORACLES.get(1L)))
                .hasToString("0x40C57923924B5c5c5455c48D93317139ADDaC8fb");
    }

    private static SanctionsProperties properties(List<SanctionsProperties.Source> sources) {
        return new SanctionsProperties(sources, List.of(), 0.25, "deny", Duration.ofSeconds(10), fetch(), oracleOff());
    }

    private static SanctionsProperties withOverrides(List<SanctionsProperties.OverrideEntry> overrides) {
        return new SanctionsProperties(
                List.of(), overrides, 0.25, "deny", Duration.ofSeconds(10), fetch(), oracleOff());
    }

    private static SanctionsProperties settings(String whenNotCurrent, double maxShrink) {
        return new SanctionsProperties(
                List.of(), List.of(), maxShrink, whenNotCurrent, Duration.ofSeconds(10), fetch(), oracleOff());
    }

    private static SanctionsProperties.Fetch fetch() {
        return new SanctionsProperties.Fetch(
                Duration.ofMinutes(2), 3, Duration.ofSeconds(2), 6, Duration.ofMinutes(5), DataSize.ofMegabytes(512));
    }

    private static SanctionsProperties.Oracle oracleOff() {
        return new SanctionsProperties.Oracle(false, Map.of());
    }
}
