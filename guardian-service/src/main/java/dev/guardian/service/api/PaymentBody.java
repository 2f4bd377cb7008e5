package dev.guardian.service.api;

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
        @Pattern(regexp = TreasuryBodies.ID_PATTERN, message = TreasuryBodies.ID_MESSAGE) String walletId) {}
