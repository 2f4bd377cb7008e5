package dev.guardian.service.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /v1/x402/payments}: pay the x402 resource {@code resource} (the URL the agent asked for) from
 * the agent's wallet {@code walletId} (needed only when it has several), as the seller's 402 answer asks:
 * {@code paymentRequired}, the value of its {@code PAYMENT-REQUIRED} header (x402 v2), or {@code body}, the
 * JSON body of the 402 answer exactly as received (x402 v1).
 */
record X402Body(
        @NotBlank @Size(max = 2048) String resource,
        @Size(max = 65536) String paymentRequired,
        @Size(max = 65536) String body,

        @Pattern(regexp = TreasuryBodies.ID_PATTERN, message = TreasuryBodies.ID_MESSAGE) String walletId) {}
