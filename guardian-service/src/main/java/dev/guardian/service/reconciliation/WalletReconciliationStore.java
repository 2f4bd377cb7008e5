package dev.guardian.service.reconciliation;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** SQL of wallet reconciliation: checkpoints and external outflows. Every method runs in the caller's transaction. */
class WalletReconciliationStore {
    private static final String OUTFLOW_COLUMNS = """
            o.id, o.agent_id, o.wallet_id, w.address, o.kind, o.block_number, o.from_block, o.tx_hash, o.log_index,
            o.nonce, o.asset, o.units, o.covered_units, o.recipient, o.spender, o.explained, o.description,
            o.detected_at
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AssetRegistry assets;

    WalletReconciliationStore(JdbcClient jdbc, JsonMapper json, AssetRegistry assets) {
        this.jdbc = jdbc;
        this.json = json;
        this.assets = assets;
    }

    Optional<WalletCheckpoint> checkpoint(WalletId wallet) {
        return jdbc.sql("select * from wallet_reconciliations where wallet_id = :wallet")
                .param("wallet", wallet.value())
                .query(this::mapCheckpoint)
                .optional();
    }

    /** The checkpoint, its row locked until the transaction ends. */
    Optional<WalletCheckpoint> lockCheckpoint(WalletId wallet) {
        return jdbc.sql("select * from wallet_reconciliations where wallet_id = :wallet for update")
                .param("wallet", wallet.value())
                .query(this::mapCheckpoint)
                .optional();
    }

    /** Starts reconciling the wallet at {@code block}; false if another instance started it first. */
    boolean start(WalletId wallet, long block, long nonce, Map<String, BigInteger> balances, Instant at) {
        return jdbc.sql("""
                        insert into wallet_reconciliations (wallet_id, started_block, block_number, nonce, balances, reconciled_at)
                        values (:wallet, :block, :block, :nonce, cast(:balances as jsonb), :at)
                        on conflict (wallet_id) do nothing
                        """)
                        .param("wallet", wallet.value())
                        .param("block", block)
                        .param("nonce", nonce)
                        .param("balances", balancesJson(balances))
                        .param("at", utc(at))
                        .update()
                == 1;
    }

    /** Moves the checkpoint to {@code block}, with the wallet's nonce and balances there. */
    void advance(WalletId wallet, long block, long nonce, Map<String, BigInteger> balances, Instant at) {
        jdbc.sql("""
                        update wallet_reconciliations
                        set block_number = :block, nonce = :nonce, balances = cast(:balances as jsonb), reconciled_at = :at
                        where wallet_id = :wallet
                        """)
                .param("wallet", wallet.value())
                .param("block", block)
                .param("nonce", nonce)
                .param("balances", balancesJson(balances))
                .param("at", utc(at))
                .update();
    }

    /** Records an outflow; false (and nothing written) if that log, nonce or range was recorded already. */
    boolean record(ExternalOutflow outflow) {
        return jdbc.sql("""
                        insert into external_outflows (id, wallet_id, agent_id, kind, block_number, from_block, tx_hash,
                            log_index, nonce, asset, units, recipient, spender, covered_units, explained, description,
                            detected_at)
                        values (:id, :wallet, :agent, :kind, :block, :fromBlock, :txHash, :logIndex, :nonce, :asset,
                            :units, :recipient, :spender, :covered, :explained, :description, :at)
                        on conflict do nothing
                        """)
                        .param("id", outflow.id())
                        .param("wallet", outflow.walletId().value())
                        .param("agent", outflow.agent().value())
                        .param("kind", outflow.kind().name())
                        .param("block", outflow.block())
                        .param("fromBlock", outflow.fromBlock().orElse(null))
                        .param("txHash", outflow.txHash().map(TxHash::toBytes).orElse(null))
                        .param("logIndex", outflow.logIndex().orElse(null))
                        .param("nonce", outflow.nonce().orElse(null))
                        .param(
                                "asset",
                                outflow.amount().map(a -> a.asset().symbol()).orElse(null))
                        .param(
                                "units",
                                outflow.amount()
                                        .map(a -> new BigDecimal(a.units()))
                                        .orElse(null))
                        .param(
                                "recipient",
                                outflow.recipient().map(Address::toBytes).orElse(null))
                        .param(
                                "spender",
                                outflow.spender().map(Address::toBytes).orElse(null))
                        .param(
                                "covered",
                                new BigDecimal(outflow.covered()
                                        .map(TokenAmount::units)
                                        .orElse(BigInteger.ZERO)))
                        .param("explained", outflow.explained())
                        .param("description", outflow.description())
                        .param("at", utc(outflow.detectedAt()))
                        .update()
                == 1;
    }

    /**
     * How much of the wallet's {@code asset} the spender's pulls recorded so far took out of the exposure
     * Guardian judged for it (their covered parts).
     */
    BigInteger coveredBefore(WalletId wallet, Asset asset, Address spender) {
        return jdbc.sql("""
                        select coalesce(sum(covered_units), 0) from external_outflows
                        where wallet_id = :wallet and kind = 'TRANSFER' and asset = :asset and spender = :spender
                        """)
                .param("wallet", wallet.value())
                .param("asset", asset.symbol())
                .param("spender", spender.toBytes())
                .query(BigDecimal.class)
                .single()
                .toBigIntegerExact();
    }

    /** The wallet's external outflows, newest first. */
    List<ExternalOutflow> outflows(WalletId wallet, int limit) {
        return jdbc.sql("select " + OUTFLOW_COLUMNS + """
                         from external_outflows o join wallets w on w.id = o.wallet_id
                        where o.wallet_id = :wallet
                        order by o.detected_at desc, o.block_number desc, o.log_index desc nulls last, o.nonce desc nulls last
                        limit :limit
                        """)
                .param("wallet", wallet.value())
                .param("limit", limit)
                .query(this::mapOutflow)
                .list();
    }

    /** How many of the wallet's external outflows are not explained. */
    int unexplainedCount(WalletId wallet) {
        return jdbc.sql("select count(*) from external_outflows where wallet_id = :wallet and not explained")
                .param("wallet", wallet.value())
                .query(Integer.class)
                .single();
    }

    private WalletCheckpoint mapCheckpoint(ResultSet rs, int row) throws SQLException {
        Map<String, String> stored =
                json.readValue(rs.getString("balances"), new TypeReference<Map<String, String>>() {});
        Map<String, BigInteger> balances = new LinkedHashMap<>();
        stored.forEach((asset, units) -> balances.put(asset, new BigInteger(units)));
        return new WalletCheckpoint(
                new WalletId(rs.getString("wallet_id")),
                rs.getLong("started_block"),
                rs.getLong("block_number"),
                rs.getLong("nonce"),
                balances,
                rs.getObject("reconciled_at", OffsetDateTime.class).toInstant());
    }

    private ExternalOutflow mapOutflow(ResultSet rs, int row) throws SQLException {
        Optional<Asset> asset = Optional.ofNullable(rs.getString("asset")).map(this::asset);
        Optional<BigInteger> units =
                Optional.ofNullable(rs.getBigDecimal("units")).map(BigDecimal::toBigIntegerExact);
        ExternalOutflow.Kind kind = ExternalOutflow.Kind.valueOf(rs.getString("kind"));
        BigInteger covered = rs.getBigDecimal("covered_units").toBigIntegerExact();
        return new ExternalOutflow(
                rs.getObject("id", UUID.class),
                new AgentId(rs.getString("agent_id")),
                new WalletId(rs.getString("wallet_id")),
                Address.of(rs.getBytes("address")),
                kind,
                rs.getLong("block_number"),
                Optional.ofNullable(rs.getObject("from_block", Long.class)),
                Optional.ofNullable(rs.getBytes("tx_hash")).map(TxHash::of),
                Optional.ofNullable(rs.getObject("log_index", Long.class)),
                Optional.ofNullable(rs.getObject("nonce", Long.class)),
                asset.flatMap(a -> units.map(u -> new TokenAmount(a, u))),
                kind == ExternalOutflow.Kind.TRANSFER ? asset.map(a -> new TokenAmount(a, covered)) : Optional.empty(),
                Optional.ofNullable(rs.getBytes("recipient")).map(Address::of),
                Optional.ofNullable(rs.getBytes("spender")).map(Address::of),
                rs.getBoolean("explained"),
                rs.getString("description"),
                rs.getObject("detected_at", OffsetDateTime.class).toInstant());
    }

    private Asset asset(String symbol) {
        return assets.bySymbol(symbol)
                .orElseThrow(() -> new IllegalStateException(
                        "an external outflow names asset " + symbol + ", which this deployment no longer knows"));
    }

    private String balancesJson(Map<String, BigInteger> balances) {
        Map<String, String> stored = new LinkedHashMap<>();
        balances.forEach((asset, units) -> stored.put(asset, units.toString()));
        return json.writeValueAsString(stored);
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
