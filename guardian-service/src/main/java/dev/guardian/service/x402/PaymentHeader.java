package dev.guardian.service.x402;

import java.util.Objects;

/**
 * The header an agent retries its request with: {@code PAYMENT-SIGNATURE} (x402 v2) or {@code X-PAYMENT}
 * (v1), its value the base64 of the payment payload's JSON.
 */
public record PaymentHeader(String name, String value) {
    public static final String V2_NAME = "PAYMENT-SIGNATURE";
    public static final String V1_NAME = "X-PAYMENT";

    public PaymentHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
