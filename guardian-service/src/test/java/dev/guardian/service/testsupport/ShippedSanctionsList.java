package dev.guardian.service.testsupport;

import dev.guardian.policy.Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The OFAC list Guardian ships and screens against by default (application.yml), read from the same
 * classpath resource the service loads, so that a payment to one of its entries is refused by a real,
 * unconfigured Guardian.
 */
public final class ShippedSanctionsList {
    private static final String RESOURCE = "/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt";

    private ShippedSanctionsList() {}

    /** Every address of the list, in file order. */
    public static List<Address> addresses() {
        try (InputStream in = ShippedSanctionsList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            List<Address> addresses = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(Address::parseLenient)
                    .toList();
            if (addresses.isEmpty()) {
                throw new IllegalStateException(RESOURCE + " lists no address");
            }
            return addresses;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
