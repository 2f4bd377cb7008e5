package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of screening every touched address against the sanctions lists (and, where configured,
 * an on-chain oracle).
 *
 * @param screened   every address that was checked
 * @param hits       those found on a list or reported by the oracle
 * @param versions   every list version (and oracle) the screening used, for the record
 * @param overridden addresses that are on a list but allowed by a configured override, with its reason
 * @param notCurrent present when the screening cannot be trusted to be up to date: a list older than its
 *                   maximum age, a source never loaded, an oracle that could not be asked
 */
public record ScreeningResult(
        Set<Address> screened,
        Set<Address> hits,
        List<String> versions,
        Map<Address, String> overridden,
        Optional<NotCurrent> notCurrent) {

    public ScreeningResult {
        screened = Set.copyOf(screened);
        hits = Set.copyOf(hits);
        versions = List.copyOf(versions);
        overridden = Map.copyOf(overridden);
        Objects.requireNonNull(notCurrent, "notCurrent");
        if (!screened.containsAll(hits)) {
            throw new IllegalArgumentException("a hit must be among the screened addresses");
        }
        if (!screened.containsAll(overridden.keySet())) {
            throw new IllegalArgumentException("an overridden address must be among the screened addresses");
        }
        if (overridden.keySet().stream().anyMatch(hits::contains)) {
            throw new IllegalArgumentException("an address is either a hit or overridden, not both");
        }
        if (versions.isEmpty() && notCurrent.isEmpty()) {
            throw new IllegalArgumentException("a screening that used no list at all cannot be current");
        }
    }

    /** A current screening against one list, with no overrides. */
    public ScreeningResult(Set<Address> screened, Set<Address> hits, String listVersion) {
        this(screened, hits, List.of(Objects.requireNonNull(listVersion, "listVersion")), Map.of(), Optional.empty());
    }

    /** Every version used, in one line: what a decision records as its screening version. */
    public String listVersion() {
        return versions.isEmpty() ? "no list loaded" : String.join("; ", versions);
    }

    /**
     * Why a screening is not current, and what that does to a request that would move value: deny, or
     * escalate to a person. Never allow.
     */
    public record NotCurrent(Verdict verdict, List<String> problems) {
        public NotCurrent {
            Objects.requireNonNull(verdict, "verdict");
            if (verdict == Verdict.ALLOW) {
                throw new IllegalArgumentException("a screening that is not current never allows");
            }
            problems = List.copyOf(problems);
            if (problems.isEmpty() || problems.stream().anyMatch(p -> p == null || p.isBlank())) {
                throw new IllegalArgumentException("say why the screening is not current");
            }
        }
    }
}
