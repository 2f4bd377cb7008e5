package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Set;

/**
 * What one argument of an allowlisted function may be: {@code index} counts from 0.
 *
 * <ul>
 *   <li>{@link Payee}: an address on the agent's allowlist as a payee, or the paying wallet itself;
 *   <li>{@link Wallet}: the paying wallet itself (a withdrawal or claim back to the wallet);
 *   <li>{@link OneOf}: one of the addresses listed here (this spender only);
 *   <li>{@link AtMost}: an unsigned amount of at most this many smallest units.
 * </ul>
 */
public record ArgumentCondition(int index, Constraint constraint) {
    public ArgumentCondition {
        Objects.requireNonNull(constraint, "constraint");
        if (index < 0) {
            throw new IllegalArgumentException("an argument index counts from 0");
        }
    }

    public sealed interface Constraint {
        /** Whether the constraint applies to arguments of this (canonical) ABI type. */
        boolean appliesTo(String type);

        String describe();
    }

    public record Payee() implements Constraint {
        @Override
        public boolean appliesTo(String type) {
            return type.equals("address");
        }

        @Override
        public String describe() {
            return "an allowlisted payee or the wallet itself";
        }
    }

    public record Wallet() implements Constraint {
        @Override
        public boolean appliesTo(String type) {
            return type.equals("address");
        }

        @Override
        public String describe() {
            return "the paying wallet itself";
        }
    }

    public record OneOf(Set<Address> addresses) implements Constraint {
        public OneOf {
            addresses = Set.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("list at least one address");
            }
        }

        @Override
        public boolean appliesTo(String type) {
            return type.equals("address");
        }

        @Override
        public String describe() {
            return "one of "
                    + addresses.stream().sorted().map(Address::toString).toList();
        }
    }

    public record AtMost(BigInteger units) implements Constraint {
        public AtMost {
            Objects.requireNonNull(units, "units");
            if (units.signum() < 0) {
                throw new IllegalArgumentException("a maximum is not negative");
            }
        }

        @Override
        public boolean appliesTo(String type) {
            return type.startsWith("uint") && !type.contains("[");
        }

        @Override
        public String describe() {
            return "at most " + units;
        }
    }
}
