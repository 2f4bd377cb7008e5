package dev.guardian.service.audit;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.WindowBudget;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.identity.PeopleProperties;
import dev.guardian.service.identity.Role;
import dev.guardian.verifier.AuditPublicKey;
import dev.guardian.verifier.AuditRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    private final AgentDirectory agents;
    private final List<PeopleProperties.Person> people;

    ConfigurationAudit(AuditLog audit, JdbcClient jdbc, TransactionTemplate transactions, AgentDirectory agents,
            List<PeopleProperties.Person> people) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.agents = agents;
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

    private List<Map<String, Object>> configuredAgents() {
        List<Map<String, Object>> found = jdbc.sql("""
                        select a.id, a.name, a.frozen, a.api_key_sha256, w.id as wallet_id, w.address
                        from agents a join wallets w on w.agent_id = a.id order by a.id, w.id
                        """)
                .query((rs, n) -> {
                    Map<String, Object> state = new LinkedHashMap<>();
                    state.put("agent", rs.getString("id"));
                    state.put("name", rs.getString("name"));
                    state.put("frozen", rs.getBoolean("frozen"));
                    // A fingerprint of the configured hash: shows that the key changed, says nothing about the key.
                    state.put("apiKeyFingerprint", AuditRecord.sha256Hex(rs.getBytes("api_key_sha256")).substring(0, 16));
                    state.put("walletId", rs.getString("wallet_id"));
                    state.put("wallet", Address.of(rs.getBytes("address")).toString());
                    return state;
                })
                .list();
        for (Map<String, Object> state : found) {
            policyOf(new AgentId((String) state.get("agent"))).ifPresent(policy -> state.put("policy", policy));
        }
        return found;
    }

    private Optional<Map<String, Object>> policyOf(AgentId agent) {
        Policy policy;
        try {
            policy = agents.policyFor(agent);
        } catch (IllegalStateException notConfigured) {
            return Optional.empty(); // an agent kept in the database but no longer configured
        }
        Map<String, Object> caps = new TreeMap<>();
        policy.perTransactionCaps().forEach((asset, cap) -> caps.put(asset.symbol(), amount(cap)));
        List<Map<String, Object>> budgets = new ArrayList<>();
        policy.budgets().stream()
                .sorted(Comparator.comparing((WindowBudget b) -> b.limit().asset().symbol()).thenComparing(WindowBudget::window))
                .forEach(b -> budgets.add(Map.of("limit", amount(b.limit()), "window", b.window().toString())));
        List<Map<String, Object>> allowlist = new ArrayList<>();
        policy.allowlist().entrySet().stream()
                .sorted(Comparator.comparing(e -> e.getKey().toLowerHex()))
                .forEach(e -> allowlist.add(Map.of("address", e.getKey().toString(), "label", e.getValue())));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("version", policy.version());
        state.put("perTransactionCaps", caps);
        state.put("budgets", budgets);
        state.put("allowlist", allowlist);
        return Optional.of(state);
    }

    private static Map<String, Object> amount(TokenAmount amount) {
        Asset asset = amount.asset();
        return Map.of("asset", asset.symbol(), "amount", amount.toDecimalString(), "units", amount.units().toString());
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
