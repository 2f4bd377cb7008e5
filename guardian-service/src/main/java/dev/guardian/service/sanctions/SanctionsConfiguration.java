package dev.guardian.service.sanctions;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires sanctions screening from {@link SanctionsProperties}: checks every value (naming the property of
 * a bad one), loads every source before the service takes requests, and starts the periodic refresh.
 */
@Configuration(proxyBeanMethods = false)
class SanctionsConfiguration {
    static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofHours(6);

    /** The list Guardian ships: every 0x address of OFAC's sdn_advanced.xml of 2025-11-19 (see its PROVENANCE.md). */
    static final SourceSpec SHIPPED = new SourceSpec(
            "ofac_sdn_evm_addresses_2025-11-19.txt",
            new ListLocation.Classpath("/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt"),
            ListFormat.TEXT,
            Optional.of(LocalDate.of(2025, 11, 19)),
            Optional.empty(),
            DEFAULT_REFRESH_INTERVAL);
    /** A URL's default max-age: four refresh intervals, i.e. three refreshes in a row failed. */
    static final int DEFAULT_MAX_AGE_IN_REFRESHES = 4;

    /**
     * Chainalysis' sanctions oracle by chain id (see sanctions/PROVENANCE.md): the same address on Ethereum,
     * Optimism, BNB Chain, Polygon, Fantom, Arbitrum, Avalanche and Celo; another on Base.
     */
    static final Map<Long, String> KNOWN_ORACLES = Map.of(
            1L, "0x40C57923924B5c5c5455c48D93317139ADDaC8fb",
            10L, "0x40C57923924B5c5c5455c48D93317139ADDaC8fb",
            56L, "0x40C57923924B5c5c5455c48D93317139ADDaC8fb",
            137L, "0x40C57923924B5c5c5455c48D93317139ADDaC8fb",
            250L, "0x40C57923924B5c5c5455c48D93317139ADDaC8fb",
            42161L, "0x40C57923924B5c5c5455c48D93317139ADDaC8fb",
            43114L, "0x40C57923924B5c5c5455c48D93317139ADDaC8fb",
            42220L, "0x40C57923924B5c5c5455c48D93317139ADDaC8fb",
            8453L, "0x3A91A31cB3dC49b4db9Ce721F50a9D076c8D739B");

    @Bean
    @DependsOnDatabaseInitialization
    SanctionsScreening sanctionsScreening(
            SanctionsProperties properties,
            ChainAdapter chain,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock) {
        SanctionsScreening screening = new SanctionsScreening(
                sources(properties),
                overrides(properties),
                oracle(properties, chain),
                settings(properties),
                fetchSettings(properties),
                new AuditedSanctionsEvents(audit, transactions),
                clock);
        screening.start();
        return screening;
    }

    @Bean(destroyMethod = "close")
    SanctionsRefresher sanctionsRefresher(SanctionsScreening screening, SanctionsProperties properties) {
        return new SanctionsRefresher(screening, properties.checkInterval());
    }

    static List<SourceSpec> sources(SanctionsProperties properties) {
        if (properties.sources().isEmpty()) {
            return List.of(SHIPPED);
        }
        List<SourceSpec> specs = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < properties.sources().size(); i++) {
            String path = "guardian.sanctions.sources[" + i + "]";
            SourceSpec spec = source(properties.sources().get(i), path);
            Integer earlier = names.putIfAbsent(spec.name(), i);
            if (earlier != null) {
                throw new IllegalStateException(path + ".name: '" + spec.name() + "' is already the name of sources["
                        + earlier + "]; give each source its own name");
            }
            specs.add(spec);
        }
        return specs;
    }

    private static SourceSpec source(SanctionsProperties.Source source, String path) {
        ListFormat format;
        try {
            format = ListFormat.fromConfigName(source.type());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(path + ".type: " + e.getMessage());
        }
        ListLocation location;
        try {
            location = ListLocation.parse(source.location());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(path + ".location: " + e.getMessage());
        }
        if (location instanceof ListLocation.LocalFile file && !Files.isRegularFile(file.path())) {
            throw new IllegalStateException(path + ".location: " + file.describe() + " is not a file");
        }
        if (location instanceof ListLocation.Classpath classpath
                && SanctionsConfiguration.class.getResource(classpath.resource()) == null) {
            throw new IllegalStateException(
                    path + ".location: " + classpath.describe() + " is not in Guardian's classpath");
        }
        Optional<LocalDate> asOf;
        try {
            asOf = Optional.ofNullable(source.asOf())
                    .filter(text -> !text.isBlank())
                    .map(text -> LocalDate.parse(text.strip()));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(path + ".as-of: '" + source.asOf() + "' is not a date (YYYY-MM-DD)");
        }
        Duration refresh = Optional.ofNullable(source.refreshInterval()).orElse(DEFAULT_REFRESH_INTERVAL);
        Optional<Duration> maxAge = Optional.ofNullable(source.maxAge())
                .or(() -> location instanceof ListLocation.Remote
                        ? Optional.of(refresh.multipliedBy(DEFAULT_MAX_AGE_IN_REFRESHES))
                        : Optional.empty());
        String name = source.name() == null || source.name().isBlank()
                ? location.fileName().replaceAll("[^A-Za-z0-9._-]", "-")
                : source.name().strip();
        try {
            return new SourceSpec(name, location, format, asOf, maxAge, refresh);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(path + ": " + e.getMessage());
        }
    }

    static List<AllowOverride> overrides(SanctionsProperties properties) {
        List<AllowOverride> overrides = new ArrayList<>();
        for (int i = 0; i < properties.overrides().size(); i++) {
            String path = "guardian.sanctions.overrides[" + i + "]";
            SanctionsProperties.OverrideEntry entry = properties.overrides().get(i);
            Address address;
            try {
                address = Address.parse(entry.address().strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(path + ".address: " + e.getMessage());
            }
            if (overrides.stream().anyMatch(o -> o.address().equals(address))) {
                throw new IllegalStateException(path + ".address: " + address + " is overridden twice");
            }
            overrides.add(new AllowOverride(address, entry.reason(), entry.decidedBy()));
        }
        return overrides;
    }

    static Optional<SanctionsOracle> oracle(SanctionsProperties properties, ChainAdapter chain) {
        if (!properties.oracle().enabled()) {
            return Optional.empty();
        }
        long chainId = chain.chainId().value();
        String configured = properties.oracle().addresses().get(chainId);
        String text = configured != null ? configured : KNOWN_ORACLES.get(chainId);
        String path = "guardian.sanctions.oracle.addresses." + chainId;
        if (text == null) {
            throw new IllegalStateException(path + ": the oracle is enabled but no oracle address is known for chain "
                    + chainId + "; set its address");
        }
        try {
            return Optional.of(SanctionsOracle.onChain(chain, Address.parse(text.strip())));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(path + ": " + e.getMessage());
        }
    }

    static SanctionsScreening.Settings settings(SanctionsProperties properties) {
        Verdict verdict = switch (properties.whenNotCurrent().strip().toLowerCase(Locale.ROOT)) {
            case "deny" -> Verdict.DENY;
            case "escalate" -> Verdict.ESCALATE;
            default ->
                throw new IllegalStateException("guardian.sanctions.when-not-current: '" + properties.whenNotCurrent()
                        + "' is neither deny nor escalate (a screening that is not current never allows)");
        };
        try {
            return new SanctionsScreening.Settings(properties.maxShrink(), verdict);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("guardian.sanctions.max-shrink: " + e.getMessage());
        }
    }

    static FetchSettings fetchSettings(SanctionsProperties properties) {
        SanctionsProperties.Fetch fetch = properties.fetch();
        try {
            return new FetchSettings(
                    fetch.timeout(),
                    fetch.attempts(),
                    fetch.backoff(),
                    fetch.circuitWindow(),
                    fetch.openStateWait(),
                    fetch.maxSize().toBytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("guardian.sanctions.fetch: " + e.getMessage());
        }
    }
}
