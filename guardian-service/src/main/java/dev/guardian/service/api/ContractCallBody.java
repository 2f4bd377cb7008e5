package dev.guardian.service.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /v1/contract-calls}: call {@code to} with {@code data}, sending {@code value} ETH (whole
 * units, default "0"). Guardian judges what the call would do, not what it says.
 */
record ContractCallBody(
        @NotNull @EvmAddress String to,
        @NotNull @HexData @Size(max = 32_770, message = "must be at most 16 KiB of call data") String data,
        @DecimalAmount(allowZero = true) String value) {}
