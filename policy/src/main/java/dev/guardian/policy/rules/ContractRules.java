package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Verdict;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The contracts and functions an agent may call, and what happens to a call outside them: it escalates
 * to people (the default) or is denied. A call with no calldata is a plain value transfer and needs no
 * entry; every other call does.
 */
public record ContractRules(Map<Address, ContractEntry> contracts, Verdict outside) {
    public ContractRules {
        contracts = Map.copyOf(contracts);
        Objects.requireNonNull(outside, "outside");
        if (outside == Verdict.ALLOW) {
            throw new IllegalArgumentException(
                    "a call outside the contract allowlist escalates or is denied, never allowed");
        }
    }

    /** No contract may be called; a call outside escalates. */
    public static ContractRules none() {
        return new ContractRules(Map.of(), Verdict.ESCALATE);
    }

    public Optional<ContractEntry> entry(Address contract) {
        return Optional.ofNullable(contracts.get(contract));
    }
}
