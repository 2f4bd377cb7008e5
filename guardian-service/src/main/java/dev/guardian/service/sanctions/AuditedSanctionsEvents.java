package dev.guardian.service.sanctions;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditEvent;
import dev.guardian.service.audit.AuditLog;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records screening's changes and alerts in the hash-chained audit log, each in its own transaction:
 * {@code sanctions.list-loaded} (a new version is used), {@code sanctions.reload-kept} (a reload failed
 * or was rejected and the previous version stays), {@code sanctions.overrides} (the overrides in effect,
 * when they changed). The record's actor is the admin who asked for a reload, else Guardian.
 */
final class AuditedSanctionsEvents implements SanctionsEvents {
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    AuditedSanctionsEvents(AuditLog audit, TransactionTemplate transactions) {
        this.audit = audit;
        this.transactions = transactions;
    }

    @Override
    public void listLoaded(
            ListVersion version, Optional<ListVersion> previous, Trigger trigger, Actor actor, boolean shrinkAccepted) {
        append(
                new SanctionsAuditEvents.ListLoaded(
                        version.source(),
                        SanctionsAuditEvents.Version.of(version),
                        previous.map(SanctionsAuditEvents.Version::of),
                        trigger.name(),
                        shrinkAccepted ? Optional.of(true) : Optional.empty()),
                actor);
    }

    @Override
    public void reloadKept(
            String source,
            ReloadOutcome.Result result,
            String problem,
            Optional<ListVersion> kept,
            Trigger trigger,
            Actor actor) {
        append(
                new SanctionsAuditEvents.ReloadKept(
                        source, result.name(), problem, kept.map(SanctionsAuditEvents.Version::of), trigger.name()),
                actor);
    }

    @Override
    public void overridesInEffect(List<AllowOverride> overrides, String sha256) {
        // Recorded when the configured overrides differ from the last record, so instances starting with the
        // same configuration record it once.
        SanctionsAuditEvents.Overrides event = new SanctionsAuditEvents.Overrides(
                sha256,
                overrides.stream()
                        .map(o -> new SanctionsAuditEvents.Override(o.address().toString(), o.reason(), o.decidedBy()))
                        .toList());
        transactions.executeWithoutResult(
                tx -> audit.recordIfChanged(event, Actor.CONFIGURATION, SanctionsAuditEvents.Overrides.SUBJECT));
    }

    private void append(AuditEvent event, Actor actor) {
        transactions.executeWithoutResult(tx -> audit.append(event, actor));
    }
}
