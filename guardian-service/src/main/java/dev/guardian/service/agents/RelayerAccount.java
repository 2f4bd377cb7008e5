package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.signer.SealedKey;
import java.util.Objects;

/**
 * A relayer account as stored: its id, the address it sends from, and its key sealed under the
 * key-encryption key. Only the signer opens the key; {@link #toString()} shows the address alone.
 */
public record RelayerAccount(String id, Address address, SealedKey sealedKey) {
    public RelayerAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(sealedKey, "sealedKey");
        if (!sealedKey.address().equals(address)) {
            throw new IllegalArgumentException("a relayer's sealed key belongs to its own address");
        }
    }

    @Override
    public String toString() {
        return "RelayerAccount[id=" + id + ", address=" + address + "]";
    }
}
