package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a Safe wallet was created with: its owners (the agent's own key, which Guardian never holds;
 * Guardian's co-signing key; the treasury's recovery owners), the threshold, the guard installed in its
 * creation transaction and the guard's configuration (the only MultiSendCallOnly it may DELEGATECALL, its
 * fallback handler, the USDC token and the hard USDC cap per window). The chain is what holds these; this is
 * what Guardian set and expects to read back.
 */
public record SafeWallet(
        Address agentOwner,
        Address guardianOwner,
        List<Address> treasuryOwners,
        int threshold,
        Address guard,
        Address multiSend,
        Address fallbackHandler,
        Address usdc,
        BigInteger usdcCapUnits,
        Duration window,
        BigInteger saltNonce) {
    public SafeWallet {
        Objects.requireNonNull(agentOwner, "agentOwner");
        Objects.requireNonNull(guardianOwner, "guardianOwner");
        treasuryOwners = List.copyOf(treasuryOwners);
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(multiSend, "multiSend");
        Objects.requireNonNull(fallbackHandler, "fallbackHandler");
        Objects.requireNonNull(usdc, "usdc");
        Objects.requireNonNull(usdcCapUnits, "usdcCapUnits");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(saltNonce, "saltNonce");
        if (threshold < 2) {
            throw new IllegalArgumentException("a co-signed Safe needs two signatures: threshold 2 or more");
        }
        if (agentOwner.equals(guardianOwner) || treasuryOwners.contains(agentOwner)) {
            throw new IllegalArgumentException("the agent's owner key must be none of the Safe's other owners");
        }
        if (Set.copyOf(treasuryOwners).size() != treasuryOwners.size() || treasuryOwners.contains(guardianOwner)) {
            throw new IllegalArgumentException("treasury owners are distinct and none is Guardian's key");
        }
        if (usdcCapUnits.signum() < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the guard's cap is not negative and its window is positive");
        }
    }

    /** The owners in the order the Safe is set up with: the agent, Guardian, then the treasury. */
    public List<Address> owners() {
        return Stream.concat(Stream.of(agentOwner, guardianOwner), treasuryOwners.stream())
                .toList();
    }
}
