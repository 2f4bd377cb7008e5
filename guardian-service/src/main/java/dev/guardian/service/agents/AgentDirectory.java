package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.WalletId;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Credentials;
import dev.guardian.service.identity.IssuedToken;
import dev.guardian.service.locks.AdvisoryLocks;
import dev.guardian.service.policies.PolicyDocument;
import dev.guardian.service.policies.PolicyDocuments;
import dev.guardian.service.policies.PolicyVersions;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.SealedKey;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The agents Guardian serves and their wallets, kept in the database so that every instance sees a
 * change on the next request. Agents come from two places: configuration, loaded at start by
 * {@link #load} (seeds that never undo what the treasury team changed through the API: a configured
 * agent is frozen at start when configuration says so, but never unfrozen by it), and the treasury API.
 *
 * <p>Every change runs in one transaction with its audit record, under the agent's advisory lock (the
 * one the request path takes), so a change lands between two decisions, never inside one. Wallet keys
 * are generated or imported by the signer and stored sealed; only the address ever leaves this class.
 */
public class AgentDirectory {
    private static final Logger log = LoggerFactory.getLogger(AgentDirectory.class);

    private final JdbcClient jdbc;
    /** Whether an address has code on chain: an imported key must control a plain account. */
    private final Predicate<Address> hasCode;

    private final TransactionTemplate transactions;
    private final KeyVault vault;
    private final Credentials credentials;
    private final PolicyVersions policies;
    private final PolicyDocuments documents;
    private final AuditLog audit;
    private final Clock clock;

    AgentDirectory(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KeyVault vault,
            Credentials credentials,
            PolicyVersions policies,
            PolicyDocuments documents,
            AuditLog audit,
            Clock clock,
            Predicate<Address> hasCode) {
        this.hasCode = hasCode;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.vault = vault;
        this.credentials = credentials;
        this.policies = policies;
        this.documents = documents;
        this.audit = audit;
        this.clock = clock;
    }

    /** Writes the configured agents: the agent, its token hash, its wallet (created once), its policy. */
    public void load(List<AgentDefinition> definitions) {
        for (AgentDefinition definition : definitions) {
            transactions.executeWithoutResult(tx -> upsertConfigured(definition));
            credentials.ensureConfigured(Caller.Kind.AGENT, definition.id().value(), definition.apiKeySha256());
            int version = policies.ensureConfigured(definition.id(), documents.fromConfiguration(definition.source()));
            Agent agent = find(definition.id()).orElseThrow();
            log.info(
                    "agent {} ready: wallet {} at {}, policy version {}{}",
                    agent.id(),
                    agent.walletId(),
                    agent.walletAddress(),
                    version,
                    agent.frozen() ? " (FROZEN)" : "");
        }
    }

    /**
     * Writes what configuration says of an agent, and audits each change it makes, as the API does, with
     * actor {@code configuration}: the agent created, renamed or frozen, its wallet created. Under the
     * agent's lock, so instances starting together record each change once.
     */
    private void upsertConfigured(AgentDefinition definition) {
        AgentId id = definition.id();
        lock(id);
        Optional<AgentSummary> before = describe(id);
        jdbc.sql("""
                insert into agents (id, name, frozen, created_by, created_at) values (:id, :name, :frozen, 'configuration', :at)
                on conflict (id) do update set name = excluded.name, frozen = agents.frozen or excluded.frozen
                """)
                .param("id", id.value())
                .param("name", definition.name())
                .param("frozen", definition.frozen())
                .param("at", utc(clock.instant()))
                .update();
        if (before.isEmpty()) {
            audit.append(
                    new AgentEvents.Created(
                            id,
                            definition.name(),
                            Optional.of(definition.frozen()),
                            Optional.empty(),
                            Optional.empty()),
                    Actor.CONFIGURATION);
        } else {
            if (!before.get().name().equals(definition.name())) {
                audit.append(
                        new AgentEvents.Renamed(
                                id, definition.name(), before.get().name()),
                        Actor.CONFIGURATION);
            }
            if (definition.frozen() && !before.get().frozen()) {
                audit.append(new AgentEvents.Frozen(id, Optional.empty()), Actor.CONFIGURATION);
            }
        }
        Optional<String> owner = jdbc.sql("select agent_id from wallets where id = :id")
                .param("id", definition.walletId().value())
                .query(String.class)
                .optional();
        if (owner.isPresent()) {
            if (!owner.get().equals(definition.id().value())) {
                throw new IllegalStateException("wallet " + definition.walletId() + " belongs to agent " + owner.get()
                        + ", not to " + definition.id() + "; a wallet never changes hands");
            }
            return;
        }
        SealedKey key = definition.importKeyFile().map(this::importKeyFile).orElseGet(vault::generate);
        if (definition.importKeyFile().isPresent() && hasCode.test(key.address())) {
            throw new IllegalStateException("the wallet key in "
                    + definition.importKeyFile().get() + " controls "
                    + key.address() + ", which has code on chain (a contract or an EIP-7702 delegation); whoever"
                    + " controls that code controls the wallet, so Guardian does not import it");
        }
        if (insertWallet(definition.id(), definition.walletId(), key)) {
            auditWallet(
                    id, definition.walletId(), key, definition.importKeyFile().isPresent(), Actor.CONFIGURATION);
            log.info(
                    "wallet {} created for agent {} at {} ({})",
                    definition.walletId(),
                    definition.id(),
                    key.address(),
                    definition.importKeyFile().isPresent() ? "imported key" : "generated key");
        }
    }

    private boolean insertWallet(AgentId agent, WalletId walletId, SealedKey key) {
        return jdbc.sql("""
                insert into wallets (id, agent_id, address, sealed_key) values (:id, :agent, :address, :sealed)
                on conflict do nothing
                """)
                        .param("id", walletId.value())
                        .param("agent", agent.value())
                        .param("address", key.address().toBytes())
                        .param("sealed", key.sealed())
                        .update()
                == 1;
    }

    private SealedKey importKeyFile(Path file) {
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the wallet key file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        try {
            return importHex(
                    text,
                    () -> new IllegalStateException(
                            "the wallet key file " + file + " does not hold a valid hex private key"));
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /**
     * Seals a hex private key. The bytes are wiped after use; a decoding failure's message never holds
     * the key, so {@code invalid} supplies the only message that leaves.
     */
    private SealedKey importHex(byte[] hexText, Supplier<RuntimeException> invalid) {
        byte[] key = null;
        try {
            key = Hex.decode(new String(hexText, StandardCharsets.US_ASCII).strip());
            return vault.importKey(key);
        } catch (IllegalArgumentException e) {
            throw invalid.get();
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /** An agent created through the API, with its first token (shown once) and active policy version. */
    public record Created(AgentSummary agent, IssuedToken token) {}

    /**
     * Creates an agent with its first policy version (active at once: a new agent is never judged by no
     * policy) and its first token. The agent has no wallet until one is created or imported.
     */
    public Created create(
            AgentId id, String name, Optional<String> team, PolicyDocument policy, String comment, Actor by) {
        return transactions.execute(tx -> {
            lock(id);
            team.ifPresent(this::requireTeam);
            int inserted = jdbc.sql("""
                    insert into agents (id, name, frozen, team_id, created_by, created_at)
                    values (:id, :name, false, :team, :by, :at) on conflict (id) do nothing
                    """)
                    .param("id", id.value())
                    .param("name", name)
                    .param("team", team.orElse(null))
                    .param("by", by.value())
                    .param("at", utc(clock.instant()))
                    .update();
            if (inserted == 0) {
                throw new AgentChangeRefusedException(
                        "agent-exists", "an agent " + id + " exists already (agent ids are never reused)");
            }
            audit.append(new AgentEvents.Created(id, name, Optional.empty(), team, Optional.of(comment)), by);
            int version = policies.create(id, policy, comment, by).version();
            policies.activate(id, version, comment, by);
            IssuedToken token = credentials.issue(Caller.Kind.AGENT, id.value(), "initial", by);
            return new Created(describe(id).orElseThrow(), token);
        });
    }

    /**
     * Freezes or unfreezes an agent. Takes effect for its next request, and a frozen agent's pending
     * approvals cannot complete (the final approval judges again and sees the freeze).
     *
     * @return whether anything changed (freezing a frozen agent changes nothing and records nothing)
     */
    public boolean setFrozen(AgentId id, boolean frozen, String comment, Actor by) {
        return Boolean.TRUE.equals(transactions.execute(tx -> {
            lock(id);
            AgentSummary agent = describe(id).orElseThrow(() -> new UnknownAgentException(id));
            if (!frozen && agent.status() == AgentSummary.Status.RETIRED) {
                throw new AgentChangeRefusedException("agent-retired", "agent " + id + " is retired and stays frozen");
            }
            if (agent.frozen() == frozen) {
                return false;
            }
            jdbc.sql("update agents set frozen = :frozen where id = :id")
                    .param("frozen", frozen)
                    .param("id", id.value())
                    .update();
            audit.append(
                    frozen ? new AgentEvents.Frozen(id, Optional.of(comment)) : new AgentEvents.Unfrozen(id, comment),
                    by);
            return true;
        }));
    }

    /**
     * Retires an agent for good: frozen, every token revoked, never reactivated. Its records, wallet and
     * policy versions stay for the auditors; its id is never given to another agent.
     */
    public void retire(AgentId id, String comment, Actor by) {
        transactions.executeWithoutResult(tx -> {
            lock(id);
            AgentSummary agent = describe(id).orElseThrow(() -> new UnknownAgentException(id));
            if (agent.status() == AgentSummary.Status.RETIRED) {
                throw new AgentChangeRefusedException("agent-retired", "agent " + id + " is retired already");
            }
            jdbc.sql("update agents set status = 'RETIRED', frozen = true, retired_at = :at where id = :id")
                    .param("at", utc(clock.instant()))
                    .param("id", id.value())
                    .update();
            audit.append(new AgentEvents.Retired(id, comment), by);
            credentials.revokeAll(Caller.Kind.AGENT, id.value(), by);
        });
    }

    /** Revokes the agent's tokens and issues a new one; the old ones fail from the next request on. */
    public IssuedToken rotateToken(AgentId id, Actor by) {
        return transactions.execute(tx -> {
            requireActive(id);
            return credentials.rotate(Caller.Kind.AGENT, id.value(), by);
        });
    }

    /** Revokes every token of the agent; it cannot call Guardian until a new one is issued. */
    public int revokeTokens(AgentId id, Actor by) {
        return transactions.execute(tx -> {
            describe(id).orElseThrow(() -> new UnknownAgentException(id));
            return credentials.revokeAll(Caller.Kind.AGENT, id.value(), by);
        });
    }

    /** Moves the agent into a team (or out of any, with empty); its next request draws on that team's budgets. */
    public void setTeam(AgentId id, Optional<String> team, String comment, Actor by) {
        transactions.executeWithoutResult(tx -> {
            lock(id);
            AgentSummary agent = describe(id).orElseThrow(() -> new UnknownAgentException(id));
            team.ifPresent(this::requireTeam);
            if (agent.team().equals(team)) {
                return;
            }
            jdbc.sql("update agents set team_id = :team where id = :id")
                    .param("team", team.orElse(null))
                    .param("id", id.value())
                    .update();
            audit.append(new AgentEvents.TeamChanged(id, agent.team(), team, comment), by);
        });
    }

    /**
     * Gives the agent a wallet: a key Guardian generates, or a hex private key imported once (sealed at
     * once, never readable again). An agent may hold several; its budgets count what leaves all of them.
     */
    public AgentSummary.WalletAddress createWallet(
            AgentId id, WalletId walletId, Optional<byte[]> importHexKey, Actor by) {
        SealedKey key = importHexKey
                .map(hex -> importHex(
                        hex,
                        () -> new IllegalArgumentException("privateKey is not a valid secp256k1 private key in hex")))
                .orElseGet(vault::generate);
        if (importHexKey.isPresent() && hasCode.test(key.address())) {
            throw new AgentChangeRefusedException(
                    "wallet-has-code",
                    key.address() + " has code on chain (a contract or an EIP-7702 delegation): whoever controls that"
                            + " code controls the wallet, so Guardian does not import its key");
        }
        return transactions.execute(tx -> {
            lock(id);
            requireActive(id);
            boolean taken = jdbc.sql("select exists (select 1 from wallets where id = :id or address = :address)")
                    .param("id", walletId.value())
                    .param("address", key.address().toBytes())
                    .query(Boolean.class)
                    .single();
            if (taken || !insertWallet(id, walletId, key)) {
                throw new AgentChangeRefusedException(
                        "wallet-exists", "wallet id " + walletId + " or its address is in use already");
            }
            auditWallet(id, walletId, key, importHexKey.isPresent(), by);
            return new AgentSummary.WalletAddress(walletId.value(), key.address());
        });
    }

    /**
     * The agent with its first wallet (the oldest), for callers that need the agent and any one of its
     * wallets; empty for an unknown agent or one without a wallet. Requests name their wallet: see
     * {@link #find(AgentId, WalletId)}.
     */
    public Optional<Agent> find(AgentId id) {
        return agentsWithWallets("where a.id = :id order by w.created_at, w.id limit 1", Map.of("id", id.value()))
                .stream()
                .findFirst();
    }

    /** The agent once per wallet it holds, oldest wallet first; empty for an unknown agent or one without a wallet. */
    public List<Agent> withWallets(AgentId id) {
        return agentsWithWallets("where a.id = :id order by w.created_at, w.id", Map.of("id", id.value()));
    }

    /** The agent with this one of its wallets; empty if the agent does not exist or the wallet is not its own. */
    public Optional<Agent> find(AgentId id, WalletId wallet) {
        return agentsWithWallets(
                        "where a.id = :id and w.id = :wallet", Map.of("id", id.value(), "wallet", wallet.value()))
                .stream()
                .findFirst();
    }

    private List<Agent> agentsWithWallets(String where, Map<String, Object> params) {
        return jdbc.sql("""
                select a.id, a.name, a.frozen, a.team_id, w.id as wallet_id, w.address, coalesce(w.key_address, w.address) as key_address,
                       w.sealed_key,
                       (select array_agg(o.address) from wallets o where o.agent_id = a.id) as all_wallets,
                       s.agent_owner, s.guardian_owner, s.treasury_owners, s.threshold, s.guard, s.multi_send,
                       s.fallback_handler, s.usdc, s.usdc_cap_units, s.window_seconds, s.salt_nonce
                from agents a join wallets w on w.agent_id = a.id left join safe_wallets s on s.wallet_id = w.id
                """ + where)
                .params(params)
                .query((rs, n) -> {
                    Address address = Address.of(rs.getBytes("address"));
                    Set<Address> all = new HashSet<>();
                    for (Object other : (Object[]) rs.getArray("all_wallets").getArray()) {
                        all.add(Address.of((byte[]) other));
                    }
                    return new Agent(
                            new AgentId(rs.getString("id")),
                            rs.getString("name"),
                            rs.getBoolean("frozen"),
                            Optional.ofNullable(rs.getString("team_id")),
                            new WalletId(rs.getString("wallet_id")),
                            address,
                            // A key wallet's key is its own address; a Safe's is Guardian's co-signing owner.
                            new SealedKey(Address.of(rs.getBytes("key_address")), rs.getBytes("sealed_key")),
                            all,
                            safeWallet(rs));
                })
                .list();
    }

    private static Optional<SafeWallet> safeWallet(ResultSet rs) throws SQLException {
        byte[] agentOwner = rs.getBytes("agent_owner");
        if (agentOwner == null) {
            return Optional.empty();
        }
        List<Address> treasury = new ArrayList<>();
        for (Object owner : (Object[]) rs.getArray("treasury_owners").getArray()) {
            treasury.add(Address.of((byte[]) owner));
        }
        return Optional.of(new SafeWallet(
                Address.of(agentOwner),
                Address.of(rs.getBytes("guardian_owner")),
                treasury,
                rs.getInt("threshold"),
                Address.of(rs.getBytes("guard")),
                Address.of(rs.getBytes("multi_send")),
                Address.of(rs.getBytes("fallback_handler")),
                Address.of(rs.getBytes("usdc")),
                rs.getBigDecimal("usdc_cap_units").toBigIntegerExact(),
                Duration.ofSeconds(rs.getLong("window_seconds")),
                rs.getBigDecimal("salt_nonce").toBigIntegerExact()));
    }

    /**
     * Records a Safe wallet for the agent: the Safe's address (where the factory creates it), Guardian's
     * co-signing key, sealed (generated by {@link #generateCoSigningKey}), and what the Safe is set up with,
     * with its audit record, under the agent's lock. Run it in the transaction that also records the
     * creation's request, so neither exists without the other.
     */
    public AgentSummary.WalletAddress recordSafeWallet(
            AgentId id, WalletId walletId, Address safe, SealedKey coSigner, SafeWallet setup, Actor by) {
        lock(id);
        requireActive(id);
        if (!coSigner.address().equals(setup.guardianOwner())) {
            throw new IllegalArgumentException("the co-signing key is the Safe's Guardian owner");
        }
        boolean taken = jdbc.sql(
                        "select exists (select 1 from wallets where id = :id or address = :address or address = :owner)")
                .param("id", walletId.value())
                .param("address", safe.toBytes())
                .param("owner", setup.agentOwner().toBytes())
                .query(Boolean.class)
                .single();
        int inserted = taken
                ? 0
                : jdbc.sql("""
                        insert into wallets (id, agent_id, address, sealed_key, kind, key_address)
                        values (:id, :agent, :address, :sealed, 'SAFE', :key) on conflict do nothing
                        """)
                        .param("id", walletId.value())
                        .param("agent", id.value())
                        .param("address", safe.toBytes())
                        .param("sealed", coSigner.sealed())
                        .param("key", coSigner.address().toBytes())
                        .update();
        if (inserted != 1) {
            throw new AgentChangeRefusedException(
                    "wallet-exists",
                    "wallet id " + walletId + " or the Safe's address is in use already, or the agent's owner key is"
                            + " another wallet of Guardian's");
        }
        jdbc.sql("""
                insert into safe_wallets (wallet_id, agent_owner, guardian_owner, treasury_owners, threshold, guard,
                    multi_send, fallback_handler, usdc, usdc_cap_units, window_seconds, salt_nonce, created_at)
                values (:wallet, :agent, :guardian, :treasury, :threshold, :guard, :multi, :handler, :usdc, :cap,
                    :window, :salt, :at)
                """)
                .param("wallet", walletId.value())
                .param("agent", setup.agentOwner().toBytes())
                .param("guardian", setup.guardianOwner().toBytes())
                .param(
                        "treasury",
                        setup.treasuryOwners().stream().map(Address::toBytes).toArray(byte[][]::new))
                .param("threshold", setup.threshold())
                .param("guard", setup.guard().toBytes())
                .param("multi", setup.multiSend().toBytes())
                .param("handler", setup.fallbackHandler().toBytes())
                .param("usdc", setup.usdc().toBytes())
                .param("cap", new BigDecimal(setup.usdcCapUnits()))
                .param("window", setup.window().toSeconds())
                .param("salt", new BigDecimal(setup.saltNonce()))
                .param("at", utc(clock.instant()))
                .update();
        audit.append(
                new AgentEvents.SafeWalletCreated(
                        id,
                        walletId,
                        safe,
                        setup.agentOwner(),
                        setup.guardianOwner(),
                        setup.treasuryOwners(),
                        setup.threshold(),
                        setup.guard(),
                        setup.usdcCapUnits().toString(),
                        setup.window().toSeconds()),
                by);
        return new AgentSummary.WalletAddress(walletId.value(), safe);
    }

    /** A fresh co-signing key for a Safe wallet, sealed; only its address ever leaves Guardian. */
    public SealedKey generateCoSigningKey() {
        return vault.generate();
    }

    /** Whether {@code address} is one of Guardian's own keys: a wallet's, or a Safe's co-signing owner. */
    public boolean isGuardianKey(Address address) {
        return jdbc.sql("select exists (select 1 from wallets where address = :a or key_address = :a)")
                .param("a", address.toBytes())
                .query(Boolean.class)
                .single();
    }

    public Optional<AgentSummary> describe(AgentId id) {
        return summaries("where a.id = :id", Map.of("id", id.value())).stream().findFirst();
    }

    public List<AgentSummary> list() {
        return summaries("", Map.of());
    }

    private List<AgentSummary> summaries(String where, Map<String, Object> params) {
        Map<String, AgentSummary> found = new LinkedHashMap<>();
        jdbc.sql("""
                select a.id, a.name, a.status, a.frozen, a.team_id, a.policy_version, a.created_at, a.created_by,
                       w.id as wallet_id, w.address
                from agents a left join wallets w on w.agent_id = a.id
                """ + where + " order by a.id, w.created_at, w.id")
                .params(params)
                .query((ResultSet rs) -> {
                    String agentId = rs.getString("id");
                    AgentSummary summary = found.computeIfAbsent(agentId, key -> summary(rs));
                    if (rs.getString("wallet_id") != null) {
                        summary.wallets()
                                .add(new AgentSummary.WalletAddress(
                                        rs.getString("wallet_id"), Address.of(rs.getBytes("address"))));
                    }
                });
        return found.values().stream()
                .map(s -> new AgentSummary(
                        s.id(),
                        s.name(),
                        s.status(),
                        s.frozen(),
                        s.team(),
                        s.policyVersion(),
                        s.createdAt(),
                        s.createdBy(),
                        List.copyOf(s.wallets())))
                .toList();
    }

    private static AgentSummary summary(ResultSet rs) {
        try {
            int version = rs.getInt("policy_version");
            Optional<Integer> policyVersion = rs.wasNull() ? Optional.empty() : Optional.of(version);
            return new AgentSummary(
                    new AgentId(rs.getString("id")),
                    rs.getString("name"),
                    AgentSummary.Status.valueOf(rs.getString("status")),
                    rs.getBoolean("frozen"),
                    Optional.ofNullable(rs.getString("team_id")),
                    policyVersion,
                    rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                    rs.getString("created_by"),
                    new ArrayList<>());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void lock(AgentId id) {
        AdvisoryLocks.agent(jdbc, id);
    }

    private void auditWallet(AgentId agent, WalletId walletId, SealedKey key, boolean imported, Actor by) {
        audit.append(
                imported
                        ? new AgentEvents.WalletImported(agent, walletId, key.address())
                        : new AgentEvents.WalletCreated(agent, walletId, key.address()),
                by);
    }

    private AgentSummary requireActive(AgentId id) {
        AgentSummary agent = describe(id).orElseThrow(() -> new UnknownAgentException(id));
        if (agent.status() == AgentSummary.Status.RETIRED) {
            throw new AgentChangeRefusedException("agent-retired", "agent " + id + " is retired");
        }
        return agent;
    }

    private void requireTeam(String team) {
        boolean exists = jdbc.sql("select exists (select 1 from teams where id = :id)")
                .param("id", team)
                .query(Boolean.class)
                .single();
        if (!exists) {
            throw new AgentChangeRefusedException(
                    "unknown-team", "no team " + team + "; create it first (PUT /v1/teams/" + team + ")");
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
