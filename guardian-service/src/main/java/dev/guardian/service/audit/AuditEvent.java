package dev.guardian.service.audit;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.decision.Verdict;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * One kind of thing that happened, as the audit log records it: a record type whose components are the
 * record's payload. The event's name ({@link Name}) and its field names (the component names) are
 * defined once, here in the type; {@link AuditPayloads} derives the canonical payload from it, so no
 * call site spells a name or a key. Every event type is a record.
 *
 * <p>The interfaces nested here are the vocabulary the auditor's search relies on: an event that names
 * an agent, a wallet or a transaction implements the matching one, and the search looks for exactly the
 * field that interface declares. A test checks that every implementation's payload carries it.
 */
public interface AuditEvent {

    /** The event's name in the record: lower case letters, digits, dots and dashes, never reused. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Name {
        String value();
    }

    /** An event that belongs to one agent request: it is always recorded with the request's id. */
    interface OfRequest extends AuditEvent {}

    /** An event that names the agent it concerns, in the field {@value #FIELD}. */
    interface AboutAgent extends AuditEvent {
        String FIELD = "agent";

        AgentId agent();
    }

    /** An event that names the wallet address it concerns, in the field {@value #FIELD}. */
    interface AboutWallet extends AuditEvent {
        String FIELD = "wallet";

        Address wallet();
    }

    /** An event about one chain transaction, named in the field {@value #FIELD}. */
    interface AboutTransaction extends AuditEvent {
        String FIELD = "txHash";

        TxHash txHash();
    }

    /**
     * The decision on a request: the event {@value #EVENT}, with its {@value #VERDICT} and the
     * {@value #REASONS} that produced it, each citing its rule in {@value #RULE_ID}.
     */
    interface Judgement extends OfRequest {
        String EVENT = "decision";
        String VERDICT = "verdict";
        String REASONS = "reasons";
        String RULE_ID = "ruleId";

        Verdict verdict();

        List<? extends CitesRule> reasons();
    }

    /** A reason as recorded: it names the stable id of the rule that gave it in {@link Judgement#RULE_ID}. */
    interface CitesRule {
        String ruleId();
    }
}
