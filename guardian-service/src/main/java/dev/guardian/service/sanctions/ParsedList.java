package dev.guardian.service.sanctions;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a parser found in one list's content.
 *
 * @param addresses     every EVM address, once
 * @param issued        the date the document itself states (sdn_advanced.xml's DateOfIssue), if any
 * @param otherEntries  entries that are not EVM addresses (Bitcoin, Tron, ... addresses) and were skipped
 * @param warnings      what an operator should know about this content (e.g. sdn.csv's cut remarks)
 */
record ParsedList(AddressTable addresses, Optional<LocalDate> issued, int otherEntries, List<String> warnings) {
    ParsedList {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(issued, "issued");
        if (otherEntries < 0) {
            throw new IllegalArgumentException("otherEntries must not be negative");
        }
        warnings = List.copyOf(warnings);
    }
}
