package dev.guardian.service.sanctions;

import dev.guardian.policy.Address;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainException;
import java.util.Objects;

/**
 * An on-chain sanctions oracle with Chainalysis' interface, {@code isSanctioned(address) returns (bool)},
 * asked through the chain adapter (and so through its retry, circuit breaker and bulkhead).
 */
interface SanctionsOracle {

    /** @throws ChainException when the oracle cannot be asked or answers something that is not a bool */
    boolean isSanctioned(Address who);

    /** Names the oracle in versions and messages, e.g. {@code oracle 0x40C5...8fb on chain 1}. */
    String describe();

    static SanctionsOracle onChain(ChainAdapter chain, Address oracle) {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(oracle, "oracle");
        return new SanctionsOracle() {
            @Override
            public boolean isSanctioned(Address who) {
                return chain.isSanctioned(oracle, who);
            }

            @Override
            public String describe() {
                return "oracle " + oracle + " on chain " + chain.chainId();
            }
        };
    }
}
