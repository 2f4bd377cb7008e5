package dev.guardian.service.requests;

import dev.guardian.policy.Hex;
import dev.guardian.policy.TxHash;
import dev.guardian.service.signatures.OnChainUse;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed data of a typed-data request as recorded: its canonical JSON (what is signed, exactly), the
 * 65-byte signature once made, and the last instant someone can use it on chain (for a signature that
 * moves value, once signed); {@code settledIn}: the transaction that used it, or cancelled it, once seen;
 * {@code use}: how its use shows on chain, as recognised when it was signed (absent for a message, and for
 * a signature recorded before Guardian kept it).
 */
public record SignedTypedData(
        String json,
        Optional<byte[]> signature,
        Optional<Instant> usableUntil,
        Optional<TxHash> settledIn,
        Optional<OnChainUse> use) {
    public SignedTypedData {
        Objects.requireNonNull(settledIn, "settledIn");
        Objects.requireNonNull(use, "use");
        Objects.requireNonNull(json, "json");
        signature = signature.map(byte[]::clone);
        Objects.requireNonNull(usableUntil, "usableUntil");
    }

    @Override
    public Optional<byte[]> signature() {
        return signature.map(byte[]::clone);
    }

    /** The signature as x402 and EIP-3009's {@code bytes signature} take it: 0x followed by r, s and v. */
    public Optional<String> signatureHex() {
        return signature.map(Hex::encode);
    }

    @Override
    public String toString() {
        return "SignedTypedData[" + json.length() + " chars, signed=" + signature.isPresent() + ", usableUntil="
                + usableUntil + "]";
    }
}
