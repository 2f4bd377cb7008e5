package dev.guardian.service.sanctions;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One loaded version of one source: its addresses and its version.
 *
 * @param freshSince   the instant the content is known to have been current: the fetch for a URL, the
 *                     as-of date for a file; its age is measured from here
 * @param otherEntries entries of other currencies that were skipped
 * @param warnings     what an operator should know about the content
 */
record SanctionsList(
        ListVersion version, AddressTable addresses, Instant freshSince, int otherEntries, List<String> warnings) {
    public SanctionsList {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(freshSince, "freshSince");
        warnings = List.copyOf(warnings);
        if (addresses.size() != version.entries()) {
            throw new IllegalArgumentException(
                    "the version counts " + version.entries() + " entries but the list holds " + addresses.size());
        }
    }

    /** The same content, confirmed current again at {@code confirmedAt} (an unchanged download). */
    SanctionsList confirmedAt(Instant confirmedAt) {
        return new SanctionsList(version, addresses, confirmedAt, otherEntries, warnings);
    }
}
