package dev.guardian.service.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Background work: following submitted transactions to their receipts and re-broadcasting stored ones. */
@Validated
@ConfigurationProperties("guardian.worker")
public record WorkerProperties(
        @NotNull @DefaultValue("500ms") Duration receiptPollInterval,
        @NotNull @DefaultValue("10s") Duration rebroadcastAfter,
        @Min(1) @DefaultValue("50") int batchSize) {}
