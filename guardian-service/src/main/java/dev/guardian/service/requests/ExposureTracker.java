package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditEvent;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainContracts;
import dev.guardian.service.chain.ChainException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows the allowances a wallet granted through Guardian on chain, so that their exposure is what the
 * chain says a spender can still take: what a spender took on its own (an allowance used outside
 * Guardian) is posted as spent, and the exposure still held shrinks to the allowance left. Done for the
 * spenders a request touches just before it is judged (so re-granting an allowance that was drained
 * counts again), and for every held allowance on a schedule (so the budget report tells the truth).
 *
 * <p>ERC-20 allowances are read with {@code allowance(owner, spender)}, Permit2's with its own
 * {@code allowance(owner, token, spender)} (when the chain's Permit2 is configured). Operators of all
 * tokens have no amount to read: their exposure lasts until revoked.
 */
public class ExposureTracker {
    private static final Logger log = LoggerFactory.getLogger(ExposureTracker.class);

    private final ChainAdapter chain;
    private final ChainContracts contracts;
    private final Reservations reservations;
    private final RequestStore store;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ExposureTracker(
            ChainAdapter chain,
            ChainContracts contracts,
            Reservations reservations,
            RequestStore store,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock) {
        this.chain = chain;
        this.contracts = contracts;
        this.reservations = reservations;
        this.store = store;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** An allowance as the chain holds it now: of {@code asset}, from {@code wallet} to {@code spender}. */
    public record OnChain(Address wallet, Asset asset, Address spender, Approval.Kind kind, BigInteger units) {}

    /** The kind of allowance this spender can use, per asset. */
    private record Key(Asset asset, Address spender, Approval.Kind kind) {}

    /** The record of an allowance that a spender used outside Guardian, now posted as spent. */
    @AuditEvent.Name("allowance-used")
    record AllowanceUsed(
            AgentId agent, Address wallet, String asset, Address spender, String kind, String held, String onChain)
            implements AuditEvent.AboutAgent, AuditEvent.AboutWallet {}

    /**
     * The allowances on chain of every spender the effects give an allowance to or move the wallet's tokens
     * with: what the request's exposure is weighed against. Reads the chain; call it outside any database
     * transaction.
     */
    public List<OnChain> readFor(Address wallet, SimulatedEffects effects) {
        Set<Key> keys = new LinkedHashSet<>();
        for (Effect effect : effects.effects()) {
            switch (effect) {
                case Approval a
                when a.owner().equals(wallet) -> keys.add(new Key(a.amount().asset(), a.spender(), a.kind()));
                case Transfer t
                when t.from().equals(wallet) && t.operator().isPresent() ->
                    keys.add(new Key(t.amount().asset(), t.operator().get(), Approval.Kind.ERC20));
                default -> {}
            }
        }
        List<OnChain> readings = new ArrayList<>();
        for (Key key : keys) {
            read(wallet, key)
                    .ifPresent(
                            units -> readings.add(new OnChain(wallet, key.asset(), key.spender(), key.kind(), units)));
        }
        return readings;
    }

    private Optional<BigInteger> read(Address wallet, Key key) {
        if (!(key.asset() instanceof Asset.Erc20 token)) {
            return Optional.empty(); // an unknown token's allowance cannot be valued, and is never budgeted
        }
        return switch (key.kind()) {
            case ERC20 -> Optional.of(chain.allowance(token.contract(), wallet, key.spender()));
            case PERMIT2 ->
                contracts
                        .permit2()
                        .map(permit2 -> chain.permit2Allowance(permit2, wallet, token.contract(), key.spender()));
            case OPERATOR -> Optional.empty();
        };
    }

    /**
     * Brings the agent's held exposure down to what the chain says: where a spender can take less than is
     * held, it took the difference; that much is posted as spent (it still counts against the budgets, now
     * as money moved) and recorded. Runs in the caller's transaction, under the agent's lock.
     */
    public void reconcile(AgentId agent, List<OnChain> readings, Instant at) {
        for (OnChain reading : readings) {
            List<Reservation> held =
                    reservations
                            .heldExposure(agent, Optional.of(reading.asset()), Optional.of(reading.spender()))
                            .stream()
                            .filter(h -> h.wallet().equals(reading.wallet()))
                            .map(Reservations.HeldExposure::reservation)
                            .filter(r -> r.allowance().equals(Optional.of(reading.kind())))
                            .toList();
            BigInteger heldUnits = held.stream().map(r -> r.amount().units()).reduce(BigInteger.ZERO, BigInteger::add);
            if (reading.units().compareTo(heldUnits) >= 0) {
                continue;
            }
            BigInteger used = heldUnits.subtract(reading.units());
            reservations.settleAmount(agent, held, new TokenAmount(reading.asset(), used), true, at);
            audit.append(
                    new AllowanceUsed(
                            agent,
                            reading.wallet(),
                            reading.asset().symbol(),
                            reading.spender(),
                            reading.kind().name(),
                            heldUnits.toString(),
                            reading.units().toString()),
                    Actor.GUARDIAN);
        }
    }

    /**
     * Reads every held allowance of the agents that have any and reconciles it, one agent per transaction
     * under its lock. A chain that cannot be reached ends the pass; the next one tries again.
     */
    public int sweep(int agentLimit) {
        int reconciled = 0;
        for (AgentId agent : transactions.execute(tx -> reservations.agentsHoldingExposure(agentLimit))) {
            if (!follow(agent)) {
                return reconciled;
            }
            reconciled++;
        }
        return reconciled;
    }

    /**
     * Reads every allowance the agent holds exposure for and reconciles it, in one transaction under its
     * lock: what a spender took since is posted as spent. Wallet reconciliation calls it when it sees a
     * spender pull with an allowance Guardian judged, so that the pull is counted here, once. Returns false
     * when the chain could not be read (nothing changed).
     */
    public boolean follow(AgentId agent) {
        Set<List<Object>> seen = new LinkedHashSet<>();
        List<Reservations.HeldExposure> held =
                transactions.execute(tx -> reservations.heldExposure(agent, Optional.empty(), Optional.empty()));
        List<OnChain> readings = new ArrayList<>();
        try {
            for (Reservations.HeldExposure h : held) {
                Reservation r = h.reservation();
                Key key = new Key(
                        r.amount().asset(),
                        r.counterparty().orElseThrow(),
                        r.allowance().orElseThrow());
                if (seen.add(List.of(h.wallet(), key))) {
                    read(h.wallet(), key)
                            .ifPresent(units -> readings.add(
                                    new OnChain(h.wallet(), key.asset(), key.spender(), key.kind(), units)));
                }
            }
        } catch (ChainException e) {
            log.debug("allowance follow-up paused: {}", e.getMessage());
            return false;
        }
        if (readings.isEmpty()) {
            return true;
        }
        transactions.executeWithoutResult(tx -> {
            store.lockAgent(agent);
            reconcile(agent, readings, clock.instant());
        });
        return true;
    }
}
