package dev.guardian.signer;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TxHash;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed transaction ready for {@code eth_sendRawTransaction}: the raw typed envelope
 * ({@code 0x02 || rlp(...)} for EIP-1559), its hash (Keccak-256 of the raw bytes, which the constructor
 * checks), the sender and the nonce it uses.
 */
public record SignedTransaction(byte[] raw, TxHash hash, Address from, long nonce) {

    public SignedTransaction {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(from, "from");
        if (raw.length == 0) {
            throw new IllegalArgumentException("a signed transaction cannot be empty");
        }
        if (nonce < 0) {
            throw new IllegalArgumentException("a nonce cannot be negative");
        }
        raw = raw.clone();
        if (!TxHash.of(Keccak256.hash(raw)).equals(hash)) {
            throw new IllegalArgumentException("the hash " + hash + " is not the Keccak-256 of the raw transaction");
        }
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** The raw transaction as {@code 0x}-prefixed hex, the form {@code eth_sendRawTransaction} takes. */
    public String rawHex() {
        return Hex.encode(raw);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedTransaction that
                && Arrays.equals(raw, that.raw)
                && hash.equals(that.hash)
                && from.equals(that.from)
                && nonce == that.nonce;
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "SignedTransaction[hash=" + hash + ", from=" + from + ", nonce=" + nonce + ", raw=" + raw.length
                + " bytes]";
    }
}
