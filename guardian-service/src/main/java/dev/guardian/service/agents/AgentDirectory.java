package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.rules.Policy;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.SealedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The agents Guardian serves, backed by the database. {@link #load} writes the configured agents and
 * creates each wallet once (a generated or imported key, sealed by the signer); several instances
 * starting together converge on one wallet per id because the insert that loses the race reads the
 * winner's row.
 */
public class AgentDirectory {
    private static final Logger log = LoggerFactory.getLogger(AgentDirectory.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KeyVault vault;
    private final Map<AgentId, Policy> policies = new ConcurrentHashMap<>();

    public AgentDirectory(JdbcClient jdbc, TransactionTemplate transactions, KeyVault vault) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.vault = vault;
    }

    public void load(List<AgentDefinition> definitions) {
        for (AgentDefinition definition : definitions) {
            transactions.executeWithoutResult(tx -> upsert(definition));
            policies.put(definition.id(), definition.policy());
            Agent agent = find(definition.id()).orElseThrow();
            log.info("agent {} ready: wallet {} at {}, policy {}{}", agent.id(), agent.walletId(), agent.walletAddress(),
                    definition.policy().version(), agent.frozen() ? " (FROZEN)" : "");
        }
    }

    private void upsert(AgentDefinition definition) {
        jdbc.sql("""
                insert into agents (id, name, frozen, api_key_sha256) values (:id, :name, :frozen, :hash)
                on conflict (id) do update set name = excluded.name, frozen = excluded.frozen,
                    api_key_sha256 = excluded.api_key_sha256
                """)
                .param("id", definition.id().value())
                .param("name", definition.name())
                .param("frozen", definition.frozen())
                .param("hash", definition.apiKeySha256())
                .update();
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
        SealedKey key = definition.importKeyFile().map(this::importKey).orElseGet(vault::generate);
        int inserted = jdbc.sql("""
                insert into wallets (id, agent_id, address, sealed_key) values (:id, :agent, :address, :sealed)
                on conflict (id) do nothing
                """)
                .param("id", definition.walletId().value())
                .param("agent", definition.id().value())
                .param("address", key.address().toBytes())
                .param("sealed", key.sealed())
                .update();
        if (inserted == 1) {
            log.info("wallet {} created for agent {} at {} ({})", definition.walletId(), definition.id(), key.address(),
                    definition.importKeyFile().isPresent() ? "imported key" : "generated key");
        }
    }

    private SealedKey importKey(java.nio.file.Path file) {
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the wallet key file " + file + ": " + e.getClass().getSimpleName());
        }
        byte[] key = null;
        try {
            key = Hex.decode(new String(text, StandardCharsets.US_ASCII).strip());
            return vault.importKey(key);
        } catch (IllegalArgumentException e) {
            // The message of a decoding failure never contains the key; keep it that way.
            throw new IllegalStateException("the wallet key file " + file + " does not hold a valid hex private key");
        } finally {
            Arrays.fill(text, (byte) 0);
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /** The agent whose API key this is, if any. Compares hashes in constant time. */
    public Optional<AgentId> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isBlank() || apiKey.length() > 200) {
            return Optional.empty();
        }
        byte[] hash = ApiKeys.sha256(apiKey);
        return jdbc.sql("select id, api_key_sha256 from agents where api_key_sha256 = :hash")
                .param("hash", hash)
                .query((rs, n) -> MessageDigest.isEqual(hash, rs.getBytes("api_key_sha256"))
                        ? new AgentId(rs.getString("id")) : null)
                .optional();
    }

    public Optional<Agent> find(AgentId id) {
        return jdbc.sql("""
                select a.id, a.name, a.frozen, w.id as wallet_id, w.address, w.sealed_key
                from agents a join wallets w on w.agent_id = a.id where a.id = :id
                """)
                .param("id", id.value())
                .query((rs, n) -> {
                    Address address = Address.of(rs.getBytes("address"));
                    return new Agent(new AgentId(rs.getString("id")), rs.getString("name"), rs.getBoolean("frozen"),
                            new WalletId(rs.getString("wallet_id")), address, new SealedKey(address, rs.getBytes("sealed_key")));
                })
                .optional();
    }

    public Policy policyFor(AgentId id) {
        Policy policy = policies.get(id);
        if (policy == null) {
            throw new IllegalStateException("agent " + id + " has no policy loaded");
        }
        return policy;
    }
}
