package dev.guardian.e2e;

import dev.guardian.policy.Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/** Counterparties for the scenarios: fresh addresses nobody has touched, and real entries of the shipped OFAC list. */
final class Addresses {
    /** The sanctions list Guardian ships and screens against by default (application.yml). */
    private static final String SHIPPED_OFAC_LIST = "/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Addresses() {}

    /** A random address: its balances start at zero on a fresh chain, so whatever it holds later was paid to it. */
    static Address fresh() {
        byte[] bytes = new byte[Address.LENGTH];
        RANDOM.nextBytes(bytes);
        return Address.of(bytes);
    }

    /** The {@code index}-th address of the real OFAC SDN list that Guardian ships. */
    static Address sanctioned(int index) {
        return ofacList().get(index);
    }

    private static List<Address> ofacList() {
        try (InputStream in = Addresses.class.getResourceAsStream(SHIPPED_OFAC_LIST)) {
            if (in == null) {
                throw new IllegalStateException(SHIPPED_OFAC_LIST + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(Address::parseLenient)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
