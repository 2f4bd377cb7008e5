package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.service.requests.AgentRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /v1/contract-calls}: call {@code to} with {@code data}, sending {@code value} ETH (whole
 * units, default "0") from the agent's wallet {@code walletId} (needed only when it has several).
 * Guardian judges what the call would do, not what it says.
 */
record ContractCallBody(
        @NotNull @EvmAddress String to,

        @NotNull @HexData @Size(max = 32_770, message = "must be at most 16 KiB of call data") String data,

        @DecimalAmount(allowZero = true) String value,

        @Pattern(regexp = TreasuryBodies.ID_PATTERN, message = TreasuryBodies.ID_MESSAGE) String walletId) {
    /** The call this body asks for, its ETH value in wei; {@code pointer} as for a payment. */
    AgentRequest toRequest(AssetRegistry assets, String pointer) {
        return new AgentRequest.ContractCall(
                Address.parse(to),
                Hex.decode(data),
                Amounts.parse(pointer + "/value", assets.nativeAsset(), value == null ? "0" : value));
    }
}
