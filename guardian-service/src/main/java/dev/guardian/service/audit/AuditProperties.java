package dev.guardian.service.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit log's checkpoints: Guardian signs the head of the chain once {@code checkpointEveryRecords}
 * records follow the last checkpoint, and every {@code checkpointInterval} if anything was appended
 * since. Smaller values sign more often; between checkpoints, records are chained but not yet signed.
 */
@Validated
@ConfigurationProperties("guardian.audit")
record AuditProperties(
        @Min(1) @Max(1_000_000) @DefaultValue("100") int checkpointEveryRecords,
        @NotNull @DefaultValue("5m") Duration checkpointInterval) {}
