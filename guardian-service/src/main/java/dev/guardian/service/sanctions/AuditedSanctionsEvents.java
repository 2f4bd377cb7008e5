package dev.guardian.service.sanctions;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", version.source());
        record.put("version", describe(version));
        previous.ifPresent(p -> record.put("previous", describe(p)));
        record.put("trigger", trigger.name());
        if (shrinkAccepted) {
            record.put("shrinkAccepted", true);
        }
        append("sanctions.list-loaded", actor, record);
    }

    @Override
    public void reloadKept(
            String source,
            ReloadOutcome.Result result,
            String problem,
            Optional<ListVersion> kept,
            Trigger trigger,
            Actor actor) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", source);
        record.put("result", result.name());
        record.put("problem", problem);
        kept.ifPresent(version -> record.put("kept", describe(version)));
        record.put("trigger", trigger.name());
        append("sanctions.reload-kept", actor, record);
    }

    @Override
    public void overridesInEffect(List<AllowOverride> overrides, String sha256) {
        // Recorded when the configured overrides differ from the last record, so instances starting with the
        // same configuration record it once.
        transactions.executeWithoutResult(tx -> audit.recordIfChanged(
                "sanctions.overrides",
                Actor.CONFIGURATION,
                Map.of("configuration", "sanctions.overrides"),
                Map.of(
                        "sha256",
                        sha256,
                        "overrides",
                        overrides.stream()
                                .map(o -> Map.of(
                                        "address",
                                        o.address().toString(),
                                        "reason",
                                        o.reason(),
                                        "decidedBy",
                                        o.decidedBy()))
                                .toList())));
    }

    private void append(String event, Actor actor, Map<String, ?> record) {
        transactions.executeWithoutResult(tx -> audit.append(null, event, actor, record));
    }

    private static Map<String, Object> describe(ListVersion version) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", version.source());
        fields.put("location", version.location());
        fields.put("type", version.format().configName());
        fields.put("asOf", version.asOf().toString());
        fields.put("sha256", version.sha256());
        fields.put("entries", version.entries());
        fields.put("loadedAt", version.loadedAt().toString());
        return fields;
    }
}
