package dev.guardian.service.reconciliation;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.AgentSummary;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditEvent;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainException;
import dev.guardian.service.chain.ChainRequestFailedException;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.chain.TxReceipt;
import dev.guardian.service.database.DatabaseFailures;
import dev.guardian.service.requests.ExposureTracker;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.requests.Reservation;
import dev.guardian.service.requests.Reservations;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles every wallet with the chain, block range by block range, from a checkpoint per wallet: what
 * left each wallet must be something Guardian signed or an allowance it judged. For the blocks after the
 * checkpoint up to the latest (less {@code confirmations}):
 *
 * <ol>
 *   <li><b>Token transfers.</b> Every ERC-20 {@code Transfer} log of each registered token out of the wallet
 *       ({@code eth_getLogs}, at most {@code blocksPerQuery} blocks a call) whose transaction is not one
 *       Guardian signed for the wallet is an outflow nobody asked Guardian for, unless a spender took it with
 *       an allowance whose exposure Guardian counted: the transaction's call tree says who moved the tokens
 *       ({@code msg.sender} of the token call), and a spender's pulls are covered, in total, up to the
 *       exposure Guardian judged for it less what it already took (in Guardian's own transactions and in pulls
 *       seen before). The covered part is the exposure tracker's to post as spent; the rest is charged. A
 *       transfer that used an EIP-3009 authorization Guardian signed for the wallet (an x402 payment a
 *       facilitator settled: the token's {@code AuthorizationUsed} log in the same transaction names its
 *       nonce, and the payee and amount are the judged ones) is that judged payment, not an outflow.
 *   <li><b>Nonces.</b> Every nonce the wallet used in the range must be one of Guardian's transactions mined
 *       in it (recorded, or found by its receipt while still in flight); any other means its key signed
 *       outside Guardian.
 *   <li><b>Balances.</b> The wallet's ETH balance may fall by at most the value and fees of Guardian's
 *       transactions mined in the range (an account without code loses ETH only through its own
 *       transactions), and each token balance by at most the {@code Transfer} logs out of it; anything beyond
 *       left unexplained. Inflows can hide an outflow here, never invent one: the logs and nonces are the
 *       exact checks.
 * </ol>
 *
 * <p>Each finding is recorded once (per log, per nonce, per range), charged against the agent's budgets
 * (a reservation posted at once), audited, announced to the {@link Listener} (the webhook outbox), and
 * freezes the agent: all in one transaction with the checkpoint's advance, under the agent's lock (and its
 * team's, which the charge adds to), after a compare-and-set on the checkpoint so that instances sharing a
 * database never record a range twice. Chain reads happen before that transaction; a chain that cannot be
 * reached ends the pass (the next one tries again from the same checkpoint).
 */
public class WalletReconciler {
    private static final Logger log = LoggerFactory.getLogger(WalletReconciler.class);
    private static final String AUTHORIZATION_USED_TOPIC =
            Hex.encode(Keccak256.hash("AuthorizationUsed(address,bytes32)".getBytes(StandardCharsets.US_ASCII)));

    /** Told of every external outflow that nothing Guardian judged explains, inside the transaction that records it. */
    public interface Listener {
        Listener NONE = outflow -> {};

        void unexplained(ExternalOutflow outflow);
    }

    /** What one pass did: wallets seen, started (first checkpoint), reconciled further, outflows found unexplained. */
    public record Pass(int wallets, int started, int reconciled, int unexplained, boolean interrupted) {}

    private final ChainAdapter chain;
    private final AssetRegistry assets;
    private final AgentDirectory agents;
    private final RequestStore requests;
    private final Reservations reservations;
    private final ExposureTracker exposure;
    private final WalletReconciliationStore store;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Listener listener;
    private final int blocksPerQuery;
    private final int confirmations;

    WalletReconciler(
            ChainAdapter chain,
            AssetRegistry assets,
            AgentDirectory agents,
            RequestStore requests,
            Reservations reservations,
            ExposureTracker exposure,
            WalletReconciliationStore store,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock,
            Listener listener,
            int blocksPerQuery,
            int confirmations) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.assets = Objects.requireNonNull(assets, "assets");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.reservations = Objects.requireNonNull(reservations, "reservations");
        this.exposure = Objects.requireNonNull(exposure, "exposure");
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (blocksPerQuery < 1 || confirmations < 0) {
            throw new IllegalArgumentException("blocks per query are at least 1 and confirmations at least 0");
        }
        this.blocksPerQuery = blocksPerQuery;
        this.confirmations = confirmations;
    }

    /** One pass over every wallet of every agent. Never throws: a chain outage ends the pass early. */
    public Pass reconcileAll() {
        List<Owned> wallets = new ArrayList<>();
        for (AgentSummary agent : agents.list()) {
            for (AgentSummary.WalletAddress wallet : agent.wallets()) {
                wallets.add(new Owned(agent.id(), new WalletId(wallet.id()), wallet.address()));
            }
        }
        long to;
        try {
            to = chain.blockNumber() - confirmations;
        } catch (ChainException e) {
            log.debug("wallet reconciliation paused: {}", e.getMessage());
            return new Pass(wallets.size(), 0, 0, 0, true);
        }
        if (to < 0) {
            return new Pass(wallets.size(), 0, 0, 0, false); // a chain younger than the confirmations asked for
        }
        int started = 0;
        int reconciled = 0;
        int unexplained = 0;
        for (Owned wallet : wallets) {
            try {
                Outcome outcome = reconcile(wallet, to);
                switch (outcome) {
                    case Outcome.Started s -> started++;
                    case Outcome.Reconciled r -> {
                        reconciled++;
                        unexplained += r.unexplained();
                    }
                    case Outcome.Unchanged u -> {}
                }
            } catch (ChainException e) {
                log.debug("wallet reconciliation paused at wallet {}: {}", wallet.id(), e.getMessage());
                return new Pass(wallets.size(), started, reconciled, unexplained, true);
            } catch (RuntimeException e) {
                if (DatabaseFailures.unavailable(e)) {
                    throw e; // not this wallet's fault: the pass stops, and the next starts from the checkpoints
                }
                // One wallet that cannot be reconciled (a token that does not answer like one) must not stop the rest.
                log.error(
                        "wallet {} of agent {} could not be reconciled: {}", wallet.id(), wallet.agent(), e.toString());
            }
        }
        return new Pass(wallets.size(), started, reconciled, unexplained, false);
    }

    /** How far the wallet is reconciled, if it is at all yet. */
    public Optional<WalletCheckpoint> checkpoint(WalletId wallet) {
        return store.checkpoint(wallet);
    }

    /** The wallet's external outflows, newest first, at most {@code limit}. */
    public List<ExternalOutflow> outflows(WalletId wallet, int limit) {
        return store.outflows(wallet, limit);
    }

    /** How many of the wallet's external outflows nothing Guardian judged explains. */
    public int unexplainedCount(WalletId wallet) {
        return store.unexplainedCount(wallet);
    }

    /** A wallet and the agent it belongs to (a wallet never changes hands). */
    private record Owned(AgentId agent, WalletId id, Address address) {}

    private sealed interface Outcome {
        record Started() implements Outcome {}

        record Unchanged() implements Outcome {}

        record Reconciled(int unexplained) implements Outcome {}
    }

    /** A {@code Transfer} log of a registered token out of the wallet. */
    private record TokenLog(Asset.Erc20 token, ChainAdapter.LoggedTransfer log) {}

    /** What the call tree of a transaction Guardian did not sign shows of the wallet's tokens leaving it. */
    private static final class Trace {
        private final List<Transfer> unmatched;
        private final String problem;

        private Trace(List<Transfer> transfers, String problem) {
            this.unmatched = new ArrayList<>(transfers);
            this.problem = problem;
        }

        /** The decoded transfer that is this log (same token, recipient and amount), taken once. */
        Optional<Transfer> take(Asset.Erc20 token, Address to, BigInteger units) {
            for (int i = 0; i < unmatched.size(); i++) {
                Transfer t = unmatched.get(i);
                if (t.amount().asset() instanceof Asset.Erc20 e
                        && e.contract().equals(token.contract())
                        && t.to().equals(to)
                        && t.amount().units().equals(units)) {
                    return Optional.of(unmatched.remove(i));
                }
            }
            return Optional.empty();
        }
    }

    /** One of Guardian's transactions mined in the range: its nonce and the ETH it took from the wallet (value and fee). */
    private record Mined(Optional<Long> nonce, BigInteger ethOut) {}

    /** What the chain says of the wallet over the range, read before any database transaction. */
    private record Seen(
            List<TokenLog> logs,
            Set<TxHash> own,
            Map<TxHash, Trace> traces,
            long nonce,
            Map<String, BigInteger> balances,
            List<Mined> mined,
            Map<TxHash, List<String>> authorizationsUsed) {}

    private Outcome reconcile(Owned wallet, long to) {
        Optional<WalletCheckpoint> checkpoint = store.checkpoint(wallet.id());
        if (checkpoint.isEmpty()) {
            long nonce = chain.nonceAt(wallet.address(), to);
            Map<String, BigInteger> balances = balancesAt(wallet.address(), to);
            if (Boolean.TRUE.equals(
                    transactions.execute(tx -> store.start(wallet.id(), to, nonce, balances, clock.instant())))) {
                log.info("wallet {} of agent {} is reconciled from block {} on", wallet.id(), wallet.agent(), to);
            }
            return new Outcome.Started();
        }
        WalletCheckpoint from = checkpoint.get();
        if (to <= from.block()) {
            return new Outcome.Unchanged();
        }
        Seen seen = read(wallet, from, to);
        Recorded recorded = transactions.execute(tx -> record(wallet, from, to, seen));
        if (recorded == null || recorded.lostRace()) {
            return new Outcome.Unchanged(); // another instance reconciled this range first
        }
        if (recorded.pulledWithExposure()) {
            // A spender used an allowance Guardian judged: the exposure tracker posts what it took, once.
            exposure.follow(wallet.agent());
        }
        return new Outcome.Reconciled(recorded.unexplained());
    }

    private Map<String, BigInteger> balancesAt(Address wallet, long block) {
        Map<String, BigInteger> balances = new LinkedHashMap<>();
        balances.put(
                assets.nativeAsset().symbol(),
                chain.balanceAt(assets.nativeAsset(), wallet, block).units());
        for (Asset.Erc20 token : assets.tokens()) {
            balances.put(token.symbol(), chain.balanceAt(token, wallet, block).units());
        }
        return balances;
    }

    private Seen read(Owned wallet, WalletCheckpoint from, long to) {
        List<TokenLog> logs = new ArrayList<>();
        for (Asset.Erc20 token : assets.tokens()) {
            for (ChainAdapter.LoggedTransfer transfer : transfersFrom(token, wallet.address(), from.block() + 1, to)) {
                if (!transfer.to().equals(wallet.address())) { // a transfer to itself moves nothing
                    logs.add(new TokenLog(token, transfer));
                }
            }
        }
        logs.sort(Comparator.comparingLong((TokenLog l) -> l.log().block())
                .thenComparingLong(l -> l.log().logIndex()));
        Set<TxHash> hashes = new LinkedHashSet<>();
        logs.forEach(l -> hashes.add(l.log().transaction()));
        Set<TxHash> own = requests.ownTransactions(wallet.id(), hashes);
        Map<TxHash, Trace> traces = new LinkedHashMap<>();
        for (TxHash hash : hashes) {
            if (!own.contains(hash)) {
                traces.put(hash, trace(hash, wallet.address()));
            }
        }
        long nonce = chain.nonceAt(wallet.address(), to);
        Map<String, BigInteger> balances = balancesAt(wallet.address(), to);
        List<Mined> mined = new ArrayList<>();
        for (RequestStore.OwnTransaction t : requests.ownTransactionsMinedOrInFlight(wallet.id(), from.block(), to)) {
            if (t.block().isPresent()) {
                BigInteger fee = t.feePaid().orElse(BigInteger.ZERO);
                mined.add(new Mined(t.nonce(), t.succeeded() ? fee.add(t.valueWei()) : fee));
            } else if (t.inFlight()) {
                // Mined perhaps, and not yet recorded by the receipt worker: the receipt of one of the
                // transactions signed for it (the first, a replacement, a cancellation that sends nothing) says.
                List<RequestStore.Attempt> attempts = requests.attempts(t.request());
                List<RequestStore.Attempt> candidates = attempts.isEmpty()
                        ? List.of(new RequestStore.Attempt(t.hash(), t.nonce().orElse(-1L), false, null, null, null))
                        : attempts;
                for (RequestStore.Attempt attempt : candidates) {
                    Optional<TxReceipt> receipt = chain.receipt(attempt.txHash());
                    if (receipt.isPresent()
                            && receipt.get().blockNumber() > from.block()
                            && receipt.get().blockNumber() <= to) {
                        BigInteger fee = receipt.get().feeWei();
                        boolean movedValue = receipt.get().succeeded() && !attempt.cancellation();
                        mined.add(new Mined(t.nonce(), movedValue ? fee.add(t.valueWei()) : fee));
                        break;
                    }
                }
            }
        }
        // A Safe's own transactions are sent by the relayer: what they paid out of the Safe is in their effects.
        BigInteger relayedOut = requests.relayedNativeOut(
                wallet.id(), wallet.address(), assets.nativeAsset().symbol(), from.block(), to);
        if (relayedOut.signum() > 0) {
            mined.add(new Mined(Optional.empty(), relayedOut));
        }
        Map<TxHash, List<String>> authorizationsUsed = traces.isEmpty()
                ? Map.of()
                : authorizationsUsed(wallet.address(), from.block() + 1, to, traces.keySet());
        return new Seen(logs, own, traces, nonce, balances, mined, authorizationsUsed);
    }

    /**
     * The EIP-3009 nonces of the wallet that the tokens' {@code AuthorizationUsed} logs say were used in each of
     * {@code transactions} (those Guardian did not send): a transfer that used an authorization Guardian signed
     * and judged is the payment it judged, made by whoever submitted it (an x402 facilitator).
     */
    private Map<TxHash, List<String>> authorizationsUsed(
            Address wallet, long first, long last, Set<TxHash> transactions) {
        Map<TxHash, List<String>> used = new LinkedHashMap<>();
        String authorizer = "0x" + "0".repeat(24) + wallet.toLowerHex().substring(2);
        for (Asset.Erc20 token : assets.tokens()) {
            long start = first;
            long span = blocksPerQuery;
            while (start <= last) {
                long end = Math.min(last, start + span - 1);
                try {
                    for (ChainAdapter.EventLog log :
                            chain.logs(token.contract(), List.of(AUTHORIZATION_USED_TOPIC, authorizer), start, end)) {
                        if (transactions.contains(log.transaction())
                                && log.topics().size() == 3) {
                            used.computeIfAbsent(log.transaction(), t -> new ArrayList<>())
                                    .add(log.topics().get(2));
                        }
                    }
                    start = end + 1;
                } catch (ChainRequestFailedException e) {
                    if (span == 1) {
                        throw e;
                    }
                    span = Math.max(1, span / 2);
                }
            }
        }
        return used;
    }

    /**
     * The token's logs out of the wallet in blocks {@code [first, last]}, {@code blocksPerQuery} blocks a call;
     * a node that refuses a range (too many blocks or logs for it) is asked for half as many.
     */
    private List<ChainAdapter.LoggedTransfer> transfersFrom(Asset.Erc20 token, Address wallet, long first, long last) {
        List<ChainAdapter.LoggedTransfer> all = new ArrayList<>();
        long start = first;
        long span = blocksPerQuery;
        while (start <= last) {
            long end = Math.min(last, start + span - 1);
            try {
                all.addAll(chain.transfersFrom(token.contract(), wallet, start, end));
                start = end + 1;
            } catch (ChainRequestFailedException e) {
                if (span == 1) {
                    throw e;
                }
                span = Math.max(1, span / 2);
            }
        }
        return all;
    }

    /**
     * The call tree of a transaction Guardian did not sign, for who moved the wallet's tokens in it. A trace
     * the node will not give (pruned state) or Guardian cannot read leaves the mover unknown: nothing is
     * then covered, which fails closed.
     */
    private Trace trace(TxHash hash, Address wallet) {
        Simulation executed;
        try {
            executed = chain.executed(hash);
        } catch (ChainRequestFailedException e) {
            return new Trace(List.of(), "the node would not trace transaction " + hash + " (" + e.getMessage() + ")");
        }
        return switch (executed) {
            case Simulation.Succeeded s -> new Trace(s.effects().outgoingTransfers(wallet), null);
            case Simulation.Reverted r ->
                new Trace(List.of(), "the trace of transaction " + hash + " says it reverted (" + r.reason() + ")");
            case Simulation.Undecodable u ->
                new Trace(List.of(), "the trace of transaction " + hash + " cannot be read (" + u.reason() + ")");
        };
    }

    /** What the transaction recorded: nothing (another instance had the range), or how many findings and whether a judged allowance was used. */
    private record Recorded(boolean lostRace, int unexplained, boolean pulledWithExposure) {}

    private Recorded record(Owned wallet, WalletCheckpoint from, long to, Seen seen) {
        requests.lockAgent(wallet.agent());
        Optional<WalletCheckpoint> locked = store.lockCheckpoint(wallet.id());
        if (locked.isEmpty() || locked.get().block() != from.block()) {
            return new Recorded(true, 0, false);
        }
        WalletCheckpoint checkpoint = locked.get();
        Instant now = clock.instant();
        Optional<String> team = agents.describe(wallet.agent()).flatMap(AgentSummary::team);
        // A charge adds to the team's spending: serialised with the team's decisions, after the agent's lock.
        team.ifPresent(requests::lockTeam);
        Findings findings = new Findings(wallet, team, now);

        // 1. Tokens that left in transactions Guardian did not sign, but for an authorization Guardian signed.
        Map<String, BigInteger> loggedOut = new LinkedHashMap<>();
        Set<UUID> explainedBy = new HashSet<>();
        for (TokenLog l : seen.logs()) {
            loggedOut.merge(l.token().symbol(), l.log().units(), BigInteger::add);
            if (seen.own().contains(l.log().transaction())) {
                continue;
            }
            List<String> nonces = seen.authorizationsUsed().getOrDefault(l.log().transaction(), List.of());
            Optional<UUID> authorization = nonces.isEmpty()
                    ? Optional.empty()
                    : requests.authorizationPaying(
                            wallet.id(),
                            l.token().contract(),
                            nonces,
                            l.log().to(),
                            l.log().units(),
                            explainedBy);
            if (authorization.isPresent()) {
                explainedBy.add(authorization.get()); // one authorization explains one transfer
            } else {
                findings.transfer(l, seen.traces().get(l.log().transaction()));
            }
        }

        // 2. Nonces that none of Guardian's transactions mined in the range used.
        Set<Long> ours = new HashSet<>();
        seen.mined().forEach(m -> m.nonce().ifPresent(ours::add));
        for (long n = checkpoint.nonce(); n < seen.nonce(); n++) {
            if (!ours.contains(n)) {
                findings.nonce(n, checkpoint.block(), to);
            }
        }

        // 3. Balances that fell by more than Guardian's transactions (ETH) or the logs (tokens) explain.
        BigInteger ethOut = seen.mined().stream().map(Mined::ethOut).reduce(BigInteger.ZERO, BigInteger::add);
        findings.balance(assets.nativeAsset(), checkpoint, seen.balances(), ethOut, to);
        for (Asset.Erc20 token : assets.tokens()) {
            findings.balance(
                    token, checkpoint, seen.balances(), loggedOut.getOrDefault(token.symbol(), BigInteger.ZERO), to);
        }

        if (!findings.unexplained.isEmpty()) {
            log.error(
                    "wallet {} of agent {}: {} outflow(s) outside Guardian in blocks {}-{}; freezing the agent: {}",
                    wallet.id(),
                    wallet.agent(),
                    findings.unexplained.size(),
                    checkpoint.block() + 1,
                    to,
                    findings.unexplained.stream()
                            .map(ExternalOutflow::description)
                            .toList());
            agents.setFrozen(
                    wallet.agent(),
                    true,
                    "wallet " + wallet.id() + ": " + findings.unexplained.size()
                            + " outflow(s) nobody asked Guardian for (wallet reconciliation, blocks "
                            + (checkpoint.block() + 1) + "-" + to + "): "
                            + findings.unexplained.getFirst().description(),
                    Actor.GUARDIAN);
        }
        store.advance(wallet.id(), to, seen.nonce(), seen.balances(), now);
        return new Recorded(false, findings.unexplained.size(), findings.pulledWithExposure);
    }

    /** The findings of one wallet's range, each recorded once and, unless explained, charged, audited and announced. */
    private final class Findings {
        private final Owned wallet;
        private final Optional<String> team;
        private final Instant now;
        private final List<ExternalOutflow> unexplained = new ArrayList<>();
        private boolean pulledWithExposure;

        private Findings(Owned wallet, Optional<String> team, Instant now) {
            this.wallet = wallet;
            this.team = team;
            this.now = now;
        }

        void transfer(TokenLog l, Trace trace) {
            TokenAmount amount = new TokenAmount(l.token(), l.log().units());
            Optional<Transfer> made = trace == null
                    ? Optional.empty()
                    : trace.take(l.token(), l.log().to(), l.log().units());
            Optional<Address> spender = made.flatMap(Transfer::operator);
            BigInteger covered = BigInteger.ZERO;
            String how;
            if (spender.isPresent()) {
                BigInteger counted =
                        reservations.exposureCounted(wallet.agent(), wallet.id(), l.token(), spender.get());
                BigInteger used = requests.pulledInOwnTransactions(
                                wallet.id(), wallet.address(), l.token().symbol(), spender.get())
                        .add(store.coveredBefore(wallet.id(), l.token(), spender.get()));
                covered = counted.subtract(used).max(BigInteger.ZERO).min(amount.units());
                TokenAmount coveredAmount = new TokenAmount(l.token(), covered);
                how = "spender " + spender.get() + " pulled it with the wallet's allowance"
                        + (covered.equals(amount.units())
                                ? ", within the exposure Guardian judged for it"
                                : covered.signum() == 0
                                        ? ", which Guardian did not judge (an allowance granted or used outside Guardian)"
                                        : "; the exposure Guardian judged for it accounts for " + coveredAmount
                                                + " only (an allowance granted or used outside Guardian)");
            } else if (made.isPresent()) {
                how = "the wallet itself sent it: its key signed a transaction outside Guardian";
            } else {
                how = "who moved it is unknown: "
                        + (trace == null || trace.problem == null
                                ? "the transaction's call tree shows no such transfer"
                                : trace.problem);
            }
            boolean explained = covered.equals(amount.units());
            ExternalOutflow outflow = new ExternalOutflow(
                    UUID.randomUUID(),
                    wallet.agent(),
                    wallet.id(),
                    wallet.address(),
                    ExternalOutflow.Kind.TRANSFER,
                    l.log().block(),
                    Optional.empty(),
                    Optional.of(l.log().transaction()),
                    Optional.of(l.log().logIndex()),
                    Optional.empty(),
                    Optional.of(amount),
                    Optional.of(new TokenAmount(l.token(), covered)),
                    Optional.of(l.log().to()),
                    spender,
                    explained,
                    amount + " left the wallet to " + l.log().to() + " in transaction "
                            + l.log().transaction() + " (block " + l.log().block() + "), which Guardian did not sign; "
                            + how,
                    now);
            if (!store.record(outflow)) {
                return; // seen before
            }
            if (explained) {
                pulledWithExposure = true;
                return;
            }
            TokenAmount charged = outflow.unexplained().orElseThrow();
            raise(
                    outflow,
                    Reservations.Line.outflow(charged, l.log().to()),
                    new ReconciliationEvents.UnexplainedTransfer(
                            wallet.agent(),
                            wallet.address(),
                            outflow.id(),
                            l.log().transaction(),
                            l.log().logIndex(),
                            l.log().block(),
                            l.token().symbol(),
                            amount.toDecimalString(),
                            amount.units().toString(),
                            l.log().to(),
                            spender,
                            new TokenAmount(l.token(), covered).toDecimalString(),
                            charged.toDecimalString(),
                            outflow.description()));
            if (covered.signum() > 0) {
                pulledWithExposure = true; // the covered part is the exposure tracker's to post
            }
        }

        void nonce(long nonce, long afterBlock, long toBlock) {
            ExternalOutflow outflow = new ExternalOutflow(
                    UUID.randomUUID(),
                    wallet.agent(),
                    wallet.id(),
                    wallet.address(),
                    ExternalOutflow.Kind.NONCE,
                    toBlock,
                    Optional.of(afterBlock),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(nonce),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    "nonce " + nonce + " of wallet " + wallet.address() + " was used in blocks " + (afterBlock + 1)
                            + "-" + toBlock
                            + " by a transaction Guardian did not sign: its key was used outside Guardian",
                    now);
            if (store.record(outflow)) {
                raise(
                        outflow,
                        null,
                        new ReconciliationEvents.UnexplainedNonce(
                                wallet.agent(),
                                wallet.address(),
                                outflow.id(),
                                nonce,
                                afterBlock,
                                toBlock,
                                outflow.description()));
            }
        }

        void balance(
                Asset asset,
                WalletCheckpoint checkpoint,
                Map<String, BigInteger> balances,
                BigInteger explainedBy,
                long to) {
            BigInteger before = checkpoint.balances().get(asset.symbol());
            BigInteger after = balances.get(asset.symbol());
            if (before == null || after == null) {
                return; // an asset registered since the checkpoint: from the next range on
            }
            BigInteger fell = before.subtract(after);
            if (fell.compareTo(explainedBy) <= 0) {
                return;
            }
            TokenAmount charged = new TokenAmount(asset, fell.subtract(explainedBy));
            String what = asset instanceof Asset.Native
                    ? "Guardian's transactions mined then (values and fees) explain "
                    : "the token's Transfer logs out of it explain ";
            ExternalOutflow outflow = new ExternalOutflow(
                    UUID.randomUUID(),
                    wallet.agent(),
                    wallet.id(),
                    wallet.address(),
                    ExternalOutflow.Kind.BALANCE,
                    to,
                    Optional.of(checkpoint.block()),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(charged),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    "the wallet's " + asset.symbol() + " balance fell by " + new TokenAmount(asset, fell)
                            + " in blocks " + (checkpoint.block() + 1) + "-" + to + "; " + what
                            + new TokenAmount(asset, explainedBy) + ": " + charged + " left unexplained",
                    now);
            if (store.record(outflow)) {
                raise(
                        outflow,
                        new Reservations.Line(Reservation.Purpose.OUTFLOW, charged, Optional.empty(), Optional.empty()),
                        new ReconciliationEvents.UnexplainedBalance(
                                wallet.agent(),
                                wallet.address(),
                                outflow.id(),
                                asset.symbol(),
                                new TokenAmount(asset, fell).toDecimalString(),
                                new TokenAmount(asset, explainedBy).toDecimalString(),
                                charged.toDecimalString(),
                                charged.units().toString(),
                                checkpoint.block(),
                                to,
                                outflow.description()));
            }
        }

        /** Charges {@code line} (if any) against the agent's budgets, audits the finding and announces it. */
        private void raise(ExternalOutflow outflow, Reservations.Line line, AuditEvent event) {
            if (line != null && !line.amount().isZero()) {
                reservations.chargeExternal(outflow.id(), wallet.agent(), team, line, now);
            }
            audit.append(event, Actor.GUARDIAN);
            listener.unexplained(outflow);
            unexplained.add(outflow);
        }
    }
}
