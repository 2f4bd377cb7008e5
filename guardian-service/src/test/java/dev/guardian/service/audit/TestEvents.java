package dev.guardian.service.audit;

import java.util.Map;

/** Event types for tests of the audit log itself: small, and named so they are never mistaken for real ones. */
final class TestEvents {
    private TestEvents() {}

    @AuditEvent.Name("test.note")
    record Note(String note) implements AuditEvent {}

    @AuditEvent.Name("test.amount")
    record Amount(String amount) implements AuditEvent {}

    @AuditEvent.Name("test.block")
    record Block(long block) implements AuditEvent {}

    @AuditEvent.Name("test.step")
    record Step(int i) implements AuditEvent.OfRequest {}

    @AuditEvent.Name("test.mixed")
    record Mixed(int n, String amount, Map<String, Object> nested) implements AuditEvent.OfRequest {}

    @AuditEvent.Name("test.submitted")
    record Submitted(String txHash, int nonce, String units) implements AuditEvent.OfRequest {}

    /** Holds whatever a test wants to try to record. */
    @AuditEvent.Name("test.value")
    record Value(Object value) implements AuditEvent {}

    @AuditEvent.Name("test.configured")
    record Configured(String agent, String name, boolean frozen) implements AuditEvent {}
}
