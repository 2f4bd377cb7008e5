package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.service.audit.AuditEvent;
import java.util.Map;
import java.util.Optional;

/** What the audit log records of agents, their wallets, teams and the kill switch. */
final class AgentEvents {
    private AgentEvents() {}

    /** An agent was created: through the API (with a comment, maybe a team) or from configuration (frozen or not). */
    @AuditEvent.Name("agent-created")
    public record Created(
            AgentId agent, String name, Optional<Boolean> frozen, Optional<String> team, Optional<String> comment)
            implements AuditEvent.AboutAgent {}

    /** Configuration gave a configured agent another name. */
    @AuditEvent.Name("agent-renamed")
    public record Renamed(AgentId agent, String name, String previousName) implements AuditEvent.AboutAgent {}

    @AuditEvent.Name("agent-frozen")
    public record Frozen(AgentId agent, Optional<String> comment) implements AuditEvent.AboutAgent {}

    @AuditEvent.Name("agent-unfrozen")
    public record Unfrozen(AgentId agent, String comment) implements AuditEvent.AboutAgent {}

    @AuditEvent.Name("agent-retired")
    public record Retired(AgentId agent, String comment) implements AuditEvent.AboutAgent {}

    /** The agent moved from one team (or none) to another (or none). */
    @AuditEvent.Name("agent-team-changed")
    public record TeamChanged(AgentId agent, Optional<String> from, Optional<String> to, String comment)
            implements AuditEvent.AboutAgent {}

    /** Guardian generated a wallet key; only the address is recorded. */
    @AuditEvent.Name("wallet-created")
    public record WalletCreated(AgentId agent, WalletId wallet, Address address, String key)
            implements AuditEvent.AboutAgent {
        public WalletCreated(AgentId agent, WalletId wallet, Address address) {
            this(agent, wallet, address, "generated");
        }
    }

    /** A private key was imported and sealed; only the address is recorded. */
    @AuditEvent.Name("wallet-imported")
    public record WalletImported(AgentId agent, WalletId wallet, Address address, String key)
            implements AuditEvent.AboutAgent {
        public WalletImported(AgentId agent, WalletId wallet, Address address) {
            this(agent, wallet, address, "imported");
        }
    }

    /** Guardian generated its relayer account's key at its first start; only the address is recorded. */
    @AuditEvent.Name("relayer-created")
    public record RelayerCreated(String relayer, Address address, String key) implements AuditEvent {}

    /**
     * The key-encryption key was rotated: so many wallet keys, audit keys and relayer keys, sealed under the
     * previous one, are now sealed under the current one. Counts only: never a key, never a KEK.
     */
    @AuditEvent.Name("keys-resealed")
    public record KeysResealed(int walletKeys, int auditKeys, int relayerKeys) implements AuditEvent {}

    /** A team was created with its first budgets (a policy document of budgets only). */
    @AuditEvent.Name("team-created")
    public record TeamCreated(String team, String name, int version, Map<String, Object> budgets)
            implements AuditEvent {}

    /** A team's name or budgets were replaced; {@code before} keeps the budgets it had. */
    @AuditEvent.Name("team-updated")
    public record TeamUpdated(
            String team, String name, int version, Map<String, Object> before, Map<String, Object> budgets)
            implements AuditEvent {}

    @AuditEvent.Name("all-agents-frozen")
    public record AllAgentsFrozen(String comment) implements AuditEvent {}

    @AuditEvent.Name("all-agents-unfrozen")
    public record AllAgentsUnfrozen(String comment) implements AuditEvent {}
}
