package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.service.requests.AgentRequest;
import dev.guardian.service.safe.SafeTransaction;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.util.Locale;

/**
 * {@code POST /v1/safe-transactions}: a Safe transaction for the agent's Safe wallet {@code walletId}, with the
 * agent's own EIP-712 SafeTx signature over exactly these fields ({@code signature}, 65 bytes r || s || v).
 * {@code value} is ETH in whole units (default "0"); {@code operation} CALL (default) or DELEGATECALL;
 * {@code nonce} the Safe's current nonce. The gas fields may be left out: they must be zero, and anything else
 * is refused ({@code safe.gas-refund-not-allowed}) because the Safe would pay a refund. {@code submit}:
 * {@code guardian} (the default and, for now, the only one: the relayer sends it, its fee counts in the agent's
 * fee budget). {@code agent} (the complete signatures handed back for the agent to send) is refused at
 * {@code /submit} until Guardian follows such a transaction on chain (docs/safe-wallets.md).
 */
record SafeTransactionBody(
        @Pattern(regexp = TreasuryBodies.ID_PATTERN, message = TreasuryBodies.ID_MESSAGE) String walletId,

        @NotNull @EvmAddress String to,

        @DecimalAmount(allowZero = true) String value,

        @HexData @Size(max = 32_770, message = "must be at most 16 KiB of call data") String data,

        @Pattern(regexp = "CALL|DELEGATECALL", message = "must be CALL or DELEGATECALL") String operation,

        @NotNull @Pattern(regexp = "[0-9]{1,78}", message = "must be the Safe's nonce, a whole number") String nonce,

        @Pattern(regexp = "[0-9]{1,78}", message = "must be a whole number (and zero)")
        String safeTxGas,

        @Pattern(regexp = "[0-9]{1,78}", message = "must be a whole number (and zero)")
        String baseGas,

        @Pattern(regexp = "[0-9]{1,78}", message = "must be a whole number (and zero)")
        String gasPrice,

        @EvmAddress String gasToken,

        @EvmAddress String refundReceiver,

        @NotNull @Pattern(regexp = "0x[0-9a-fA-F]{130}", message = "must be 65 bytes of hex (r || s || v)")
        String signature,

        @Pattern(regexp = "guardian|agent", message = "must be guardian or agent") String submit) {

    /** The proposal as the pipeline takes it. */
    AgentRequest.SafeProposal toRequest(AssetRegistry assets) {
        if ("agent".equals(submit)) {
            // A co-signature handed back stays executable until its nonce is used; Guardian would have to watch
            // for that to hold and settle the reservation, which it does not yet: refused rather than left unwatched.
            throw new ApiExceptions.InvalidField(
                    "/submit",
                    "submit \"agent\" is not offered yet: Guardian's relayer sends co-signed Safe transactions"
                            + " (leave submit out, or \"guardian\")");
        }
        SafeTransaction transaction;
        try {
            transaction = new SafeTransaction(
                    Address.parse(to),
                    Amounts.parse("/value", assets.nativeAsset(), value == null ? "0" : value),
                    data == null ? new byte[0] : Hex.decode(data),
                    operation == null ? SafeTransaction.Operation.CALL : SafeTransaction.Operation.valueOf(operation),
                    whole(safeTxGas),
                    whole(baseGas),
                    whole(gasPrice),
                    gasToken == null ? Address.ZERO : Address.parse(gasToken),
                    refundReceiver == null ? Address.ZERO : Address.parse(refundReceiver),
                    new BigInteger(nonce));
        } catch (IllegalArgumentException e) {
            throw new ApiExceptions.InvalidField(pointer(e.getMessage()), e.getMessage());
        }
        return new AgentRequest.SafeProposal(
                transaction,
                Hex.decode(signature),
                submit == null
                        ? AgentRequest.SafeSubmitter.GUARDIAN
                        : AgentRequest.SafeSubmitter.valueOf(submit.toUpperCase(Locale.ROOT)));
    }

    private static BigInteger whole(String value) {
        return value == null ? BigInteger.ZERO : new BigInteger(value);
    }

    /** SafeTransaction names the field first in its messages ("nonce: ..."). */
    private static String pointer(String message) {
        int colon = message.indexOf(':');
        return colon > 0 && message.substring(0, colon).matches("[a-zA-Z]+") ? "/" + message.substring(0, colon) : "";
    }
}
