package dev.guardian.service.signatures;

import dev.guardian.policy.Address;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.rules.SignatureTerms;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Guardian made of one piece of typed data for one wallet.
 *
 * @param terms      what the rules read of it besides its effects
 * @param effects    what the signature lets someone do with the wallet's money: the transfer, or the
 *                   allowances, exactly as the typed data states them; none for a message or refused data
 * @param contract   the contract that would act on it (the verifying contract), or the zero address for a
 *                   message that names none
 * @param equivalent the calldata of the call on {@code contract} it is equivalent to, as the wallet's own
 *                   ({@code transfer}, {@code approve}, Permit2's {@code approve}): what the contract rules judge;
 *                   empty for a message
 * @param use        how its use shows on chain; empty for a message or refused data
 */
public record Recognised(
        SignatureTerms terms, List<Effect> effects, Address contract, byte[] equivalent, Optional<OnChainUse> use) {
    public Recognised {
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(use, "use");
        effects = List.copyOf(effects);
        equivalent = equivalent.clone();
        if (terms.movesValue() != use.isPresent()) {
            throw new IllegalArgumentException("a signature that moves value is watched on chain, and only such a one");
        }
    }

    @Override
    public byte[] equivalent() {
        return equivalent.clone();
    }
}
