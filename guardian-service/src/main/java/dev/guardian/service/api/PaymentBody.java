package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.requests.AgentRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * {@code POST /v1/payments}: pay {@code amount} (whole units, e.g. "12.50") of {@code asset} (default
 * USDC) to {@code recipient}, from the agent's wallet {@code walletId} (needed only when it has several).
 */
record PaymentBody(
        @NotNull @EvmAddress String recipient,
        @NotNull @DecimalAmount String amount,

        @Pattern(regexp = "[A-Za-z0-9.]{1,16}", message = "must be an asset symbol such as USDC") String asset,

        @Pattern(regexp = TreasuryBodies.ID_PATTERN, message = TreasuryBodies.ID_MESSAGE) String walletId) {
    /**
     * The payment this body asks for, its amount in the token's smallest units.
     *
     * @param pointer where this body sits in the request ({@code ""}, or {@code "/payment"} inside a dry run)
     */
    AgentRequest toRequest(AssetRegistry assets, String pointer) {
        String symbol = asset == null ? "USDC" : asset;
        Asset token = assets.bySymbol(symbol)
                .filter(a -> a instanceof Asset.Erc20)
                .orElseThrow(
                        () -> new ApiExceptions.InvalidField(pointer + "/asset", "unknown token '" + symbol + "'"));
        return new AgentRequest.Payment(Address.parse(recipient), Amounts.parse(pointer + "/amount", token, amount));
    }
}
