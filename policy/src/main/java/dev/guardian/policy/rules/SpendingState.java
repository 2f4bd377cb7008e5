package dev.guardian.policy.rules;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What an agent has already spent or reserved, as read from the database under the agent's lock:
 * each reservation still held or committed, with the moment it was made. Released reservations are
 * not in it.
 */
public record SpendingState(List<Spend> spends) {
    public SpendingState {
        spends = spends.stream().sorted(Comparator.comparing(Spend::at)).toList();
    }

    public static SpendingState none() {
        return new SpendingState(List.of());
    }

    public SpendingState plus(Spend spend) {
        return new SpendingState(java.util.stream.Stream.concat(spends.stream(), java.util.stream.Stream.of(spend)).toList());
    }

    /**
     * Everything of {@code asset} spent after {@code from}, oldest first. The start is excluded so that
     * a window of length {@code w} ending now is {@code (now - w, now]}: a spend made at {@code t}
     * leaves it at exactly {@code t + w}, the instant a refusal tells the agent to come back.
     */
    public List<Spend> since(Asset asset, Instant from) {
        return spends.stream()
                .filter(s -> s.amount().asset().equals(asset) && s.at().isAfter(from))
                .toList();
    }

    public record Spend(TokenAmount amount, Instant at) {
        public Spend {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(at, "at");
        }
    }
}
