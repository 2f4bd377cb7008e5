package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of screening every touched address against the sanctions lists.
 *
 * @param screened    every address that was checked
 * @param hits        those found on a list
 * @param listVersion which list (source and date) the screening used, for the record
 */
public record ScreeningResult(Set<Address> screened, Set<Address> hits, String listVersion) {
    public ScreeningResult {
        screened = Set.copyOf(screened);
        hits = Set.copyOf(hits);
        Objects.requireNonNull(listVersion, "listVersion");
        if (!screened.containsAll(hits)) {
            throw new IllegalArgumentException("a hit must be among the screened addresses");
        }
    }
}
