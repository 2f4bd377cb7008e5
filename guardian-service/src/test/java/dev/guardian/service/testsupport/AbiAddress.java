package dev.guardian.service.testsupport;

import org.web3j.abi.datatypes.Address;

/**
 * Web3j's ABI address type, kept apart from Guardian's own {@code Address} so that neither has to be
 * spelled with its package where both are used (see {@link Calldata}).
 */
final class AbiAddress {
    static final Class<Address> TYPE = Address.class;

    private AbiAddress() {}

    static Address of(String lowerHex) {
        return new Address(lowerHex);
    }
}
