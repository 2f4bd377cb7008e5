package dev.guardian.service.sanctions;

import dev.guardian.policy.Sha256;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Reads one source into a {@link SanctionsList}: opens it, parses it while hashing every byte read
 * (SHA-256 of the content exactly as received), and dates it.
 *
 * <p>The as-of date is the configured one, else the date the document states, else the day it was
 * fetched (URL) or last modified (file). Its age counts from the fetch for a URL (the publisher served
 * it just now) and from the as-of date (or modification time) for a file or shipped resource, since
 * Guardian cannot know whether whoever maintains the file still does.
 */
final class ListLoader {
    private final ListFetcher fetcher;

    ListLoader(ListFetcher fetcher) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    }

    SanctionsList load(SourceSpec source, Instant now) {
        try (ListFetcher.Content content = fetcher.open(source)) {
            MessageDigest sha256 = Sha256.newDigest();
            DigestInputStream digesting =
                    new DigestInputStream(new BufferedInputStream(content.stream(), 64 * 1024), sha256);
            // A parser that closes its input (Jackson does) must not stop the hashing of the rest.
            ParsedList parsed = source.format()
                    .parser()
                    .parse(
                            new FilterInputStream(digesting) {
                                @Override
                                public void close() {}
                            },
                            source.name());
            // Hash every byte, including any the parser had no need to read.
            digesting.transferTo(OutputStream.nullOutputStream());
            LocalDate statedDate = source.asOf().or(parsed::issued).orElse(null);
            Instant unstatedFreshness = content.modified().orElse(now);
            LocalDate asOf = statedDate != null
                    ? statedDate
                    : unstatedFreshness.atZone(ZoneOffset.UTC).toLocalDate();
            Instant freshSince = source.isRemote()
                    ? now
                    : statedDate != null
                            ? statedDate.atStartOfDay(ZoneOffset.UTC).toInstant()
                            : unstatedFreshness;
            ListVersion version = new ListVersion(
                    source.name(),
                    source.location().describe(),
                    source.format(),
                    asOf,
                    HexFormat.of().formatHex(sha256.digest()),
                    parsed.addresses().size(),
                    now);
            return new SanctionsList(version, parsed.addresses(), freshSince, parsed.otherEntries(), parsed.warnings());
        } catch (IOException e) {
            throw new SourceUnavailableException("reading " + source.location().describe() + " failed: " + e, e, false);
        }
    }
}
