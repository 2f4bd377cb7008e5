package dev.guardian.signer;

import dev.guardian.policy.Address;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TxHash;
import java.util.Arrays;
import java.util.Objects;

/**
 * Signs digests, EIP-1559 transactions and EIP-712 typed data with one sealed wallet key. The key is unsealed for each
 * signature and its bytes are zeroed straight after; between signatures this object holds only the
 * ciphertext. Thread-safe.
 */
public final class TransactionSigner implements Signer {
    private final KeyVault vault;
    private final SealedKey key;

    TransactionSigner(KeyVault vault, SealedKey key) {
        this.vault = vault;
        this.key = key;
    }

    @Override
    public Address address() {
        return key.address();
    }

    @Override
    public Signature sign(byte[] digest32) {
        if (digest32 == null || digest32.length != Secp256k1.DIGEST_LENGTH) {
            throw new IllegalArgumentException("a digest to sign is 32 bytes");
        }
        byte[] privateKey = vault.unseal(key);
        try {
            // Unsealing authenticated the row, so a mismatch here means it was sealed for the wrong address.
            return Secp256k1.sign(privateKey, digest32, key.address())
                    .orElseThrow(() -> new KeyUnsealException(
                            "the sealed key stored for " + key.address() + " does not control that address"));
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    /** Signs the transaction and returns the {@code 0x02} envelope, its hash, sender and nonce. */
    public SignedTransaction sign(Eip1559Transaction tx) {
        Objects.requireNonNull(tx, "tx");
        byte[] digest = Keccak256.hash(Eip1559Encoding.signingPayload(tx));
        Signature signature = sign(digest);
        byte[] raw = Eip1559Encoding.signedEnvelope(tx, signature);
        return new SignedTransaction(raw, TxHash.of(Keccak256.hash(raw)), key.address(), tx.nonce());
    }

    /**
     * Signs EIP-712 typed data: the signature over {@link Eip712#digest(TypedData)}, as
     * {@code eth_signTypedData_v4} makes it. {@link Signature#toRsv()} gives the 65-byte form.
     */
    public Signature sign(TypedData data) {
        return sign(Eip712.digest(data));
    }

    @Override
    public String toString() {
        return "TransactionSigner[" + key.address() + "]";
    }
}
