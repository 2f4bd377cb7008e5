package dev.guardian.service.reconciliation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Wallet reconciliation, beside the other background work under {@code guardian.worker}: how often every
 * wallet is reconciled ({@code walletReconcileInterval}; once at start too), how many blocks one
 * {@code eth_getLogs} call covers ({@code walletReconcileBlocksPerQuery}; a node that refuses is asked for
 * fewer), and how many of the latest blocks are left for the next pass ({@code walletReconcileConfirmations},
 * for chains that reorganise).
 */
@Validated
@ConfigurationProperties("guardian.worker")
record WalletReconciliationProperties(
        @NotNull @DefaultValue("30s") Duration walletReconcileInterval,
        @Min(1) @Max(100_000) @DefaultValue("2000") int walletReconcileBlocksPerQuery,
        @Min(0) @Max(10_000) @DefaultValue("0") int walletReconcileConfirmations) {}
