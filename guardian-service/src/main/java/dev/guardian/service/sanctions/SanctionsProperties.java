package dev.guardian.service.sanctions;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code guardian.sanctions.*}: where the lists come from, how fresh they must be, the allow-overrides
 * and the on-chain oracle. With no source configured, Guardian screens against the OFAC list it ships
 * (see docs/operations.md). Values are checked and turned into plain records by {@link SanctionsConfiguration},
 * which names the property of any bad value.
 *
 * @param sources        the lists, merged into one screening set
 * @param overrides      listed addresses to allow anyway (false positives), each with its reason
 * @param maxShrink      a reload that loses more than this fraction of a source's entries is rejected
 * @param whenNotCurrent {@code deny} or {@code escalate}: what a request that moves value gets while
 *                       screening is not current
 * @param checkInterval  how often files are checked for changes and URLs for a due refresh
 */
@Validated
@ConfigurationProperties("guardian.sanctions")
record SanctionsProperties(
        @Valid @DefaultValue List<Source> sources,
        @Valid @DefaultValue List<OverrideEntry> overrides,
        @DefaultValue("0.25") double maxShrink,
        @NotBlank @DefaultValue("deny") String whenNotCurrent,
        @NotNull @DefaultValue("10s") Duration checkInterval,
        @Valid @DefaultValue Fetch fetch,
        @Valid @DefaultValue Oracle oracle) {

    /**
     * @param name            optional; defaults to the file name of the location
     * @param type            text, csv, json, sdn-advanced-xml or sdn-csv
     * @param location        a file path, {@code classpath:/...}, or an https URL
     * @param asOf            the date of the content (YYYY-MM-DD) when it does not state one
     * @param maxAge          how old the newest good version may get; default for a URL 4 x refresh-interval,
     *                        for a file none
     * @param refreshInterval how often a URL is fetched (default 6h)
     */
    public record Source(
            String name,
            @NotBlank String type,
            @NotBlank String location,
            String asOf,
            Duration maxAge,
            Duration refreshInterval) {}

    /** A listed address allowed anyway: the reason it is a false positive and who decided it. */
    public record OverrideEntry(
            @NotBlank String address,
            @NotBlank String reason,
            @NotBlank String decidedBy) {}

    /** How URLs are fetched; see {@link FetchSettings}. */
    public record Fetch(
            @NotNull @DefaultValue("2m") Duration timeout,
            @DefaultValue("3") int attempts,
            @NotNull @DefaultValue("2s") Duration backoff,
            @DefaultValue("6") int circuitWindow,
            @NotNull @DefaultValue("5m") Duration openStateWait,
            @NotNull @DefaultValue("512MB") DataSize maxSize) {}

    /**
     * @param enabled   ask the on-chain oracle too (every touched address, every request)
     * @param addresses the oracle's address by chain id, over the known deployments Guardian ships
     */
    public record Oracle(
            @DefaultValue("false") boolean enabled,
            @DefaultValue Map<Long, String> addresses) {}
}
