package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import java.security.SecureRandom;

/** Counterparties nobody has touched, for tests on a real chain. */
public final class TestAddresses {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestAddresses() {}

    /** A random address: its balances start at zero on a fresh chain, so whatever it holds later was paid to it. */
    public static Address fresh() {
        byte[] bytes = new byte[Address.LENGTH];
        RANDOM.nextBytes(bytes);
        return Address.of(bytes);
    }
}
