package dev.guardian.service.audit;

import dev.guardian.policy.Address;
import dev.guardian.service.identity.PeopleProperties;
import dev.guardian.service.identity.Role;
import dev.guardian.verifier.AuditPublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records administrative changes that arrive through configuration: when an instance starts with an
 * agent, wallet, policy or list of people that differs from what the log last recorded, it appends
 * the new state and what changed ({@code agent-configured}, {@code people-configured}), as does the
 * creation of the audit key ({@code audit-key-created}). Secrets never appear: an API key is named by
 * a fingerprint of its configured hash, a wallet by its address.
 */
class ConfigurationAudit {
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final List<PeopleProperties.Person> people;

    ConfigurationAudit(AuditLog audit, JdbcClient jdbc, TransactionTemplate transactions, List<PeopleProperties.Person> people) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.people = people;
    }

    /** Records whatever changed since the last start; returns how many records were written. */
    int recordChanges() {
        int[] written = {0};
        transactions.executeWithoutResult(tx -> {
            AuditPublicKey key = audit.keys().activePublicKey();
            Map<String, Object> keyState = new LinkedHashMap<>();
            keyState.put("algorithm", AuditPublicKey.ALGORITHM);
            keyState.put("publicKeyPem", key.toPem());
            if (audit.recordIfChanged("audit-key-created", Actor.GUARDIAN, Map.of("keyId", key.keyId()), keyState)) {
                written[0]++;
            }
            for (Map<String, Object> agent : configuredAgents()) {
                Map<String, Object> subject = Map.of("agent", agent.remove("agent"));
                if (audit.recordIfChanged("agent-configured", Actor.CONFIGURATION, subject, agent)) {
                    written[0]++;
                }
            }
            if (audit.recordIfChanged("people-configured", Actor.CONFIGURATION, Map.of("scope", "people"), Map.of("people", peopleState()))) {
                written[0]++;
            }
        });
        return written[0];
    }

    /**
     * Each agent's name, freeze, wallet and active policy version. Tokens and policy contents have their
     * own records (credential and policy-version events), written when they change.
     */
    private List<Map<String, Object>> configuredAgents() {
        return jdbc.sql("""
                        select a.id, a.name, a.frozen, a.policy_version, w.id as wallet_id, w.address
                        from agents a join wallets w on w.agent_id = a.id order by a.id, w.id
                        """)
                .query((rs, n) -> {
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("agent", rs.getString("id"));
                    state.put("name", rs.getString("name"));
                    state.put("frozen", rs.getBoolean("frozen"));
                    state.put("walletId", rs.getString("wallet_id"));
                    state.put("wallet", Address.of(rs.getBytes("address")).toString());
                    state.put("policyVersion", rs.getInt("policy_version"));
                    return state;
                })
                .list();
    }

    private List<Map<String, Object>> peopleState() {
        List<Map<String, Object>> state = new ArrayList<>();
        people.stream().sorted(Comparator.comparing(PeopleProperties.Person::id)).forEach(person -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", person.id());
            entry.put("roles", person.roles().stream().map(Role::name).sorted().distinct().toList());
            state.add(entry);
        });
        return state;
    }
}
