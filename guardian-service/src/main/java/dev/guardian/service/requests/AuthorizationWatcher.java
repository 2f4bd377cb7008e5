package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TxHash;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainException;
import dev.guardian.service.chain.ChainRequestFailedException;
import dev.guardian.service.chain.ChainUnavailableException;
import dev.guardian.service.chain.ConfirmationDepth;
import dev.guardian.service.database.DatabaseFailures;
import dev.guardian.service.sanctions.AddressScreen;
import dev.guardian.service.signatures.OnChainUse;
import dev.guardian.service.signatures.TokenDomains;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows every outstanding typed-data signature (AUTHORIZED) on chain until it settles: used (the
 * reservation is posted), no longer usable and unused (voided), or cancelled by Guardian (voided).
 *
 * <p>Each pass reads two blocks: the latest, and the <em>safe head</em> {@code guardian.chain.confirmation-depth}
 * blocks below it ({@link ConfirmationDepth}). A use is posted as soon as the latest block shows it: charging a
 * budget early is the safe side. What frees a budget waits for the safe head, because a reorganisation above it
 * can replace the blocks that showed it: a signature lapses only when the safe head's time is past its last
 * usable instant and the chain at the safe head shows it unused (later blocks only have later times, so no
 * block can use it any more); a cancellation voids it only once the block that mined the cancellation is at or
 * below the safe head.
 *
 * <p>It also cancels what should no longer be usable: an EIP-3009 authorization of a frozen agent, of any
 * agent while the kill switch is engaged, or to a payee a sanctions list now names, is cancelled on chain
 * ({@link TreasuryActions#cancelAuthorization}: the wallet signs the cancellation, Guardian's relayer submits
 * it). A cancellation that was denied (the relayer cannot pay its gas, the simulation reverts) or failed, or
 * that the chain kept from being recorded at all, is tried again only after a wait that doubles with each
 * failure up to a bound ({@link CancellationBackoff}): never once a pass. Permits cannot be cancelled by their
 * signer without a transaction that spends their nonce; they lapse at their deadline, which the policy keeps
 * short.
 *
 * <p>One request the chain or its own data cannot answer for does not keep the others from being watched:
 * whatever its cancellation throws, and any failure of its reads but an unreachable chain, is logged and the
 * pass goes on with the next one.
 */
public class AuthorizationWatcher {
    private static final Logger log = LoggerFactory.getLogger(AuthorizationWatcher.class);

    static final String AUTHORIZATION_USED_TOPIC = topic("AuthorizationUsed(address,bytes32)");
    static final String AUTHORIZATION_CANCELED_TOPIC = topic("AuthorizationCanceled(address,bytes32)");

    /** How far back a pass looks for the event that used or cancelled an authorization. */
    static final long LOG_LOOKBACK_BLOCKS = 5_000;

    private static final byte[] AUTHORIZATION_STATE = selector("authorizationState(address,bytes32)");
    private static final byte[] NONCES = selector("nonces(address)");
    private static final byte[] PERMIT2_ALLOWANCE = selector("allowance(address,address,address)");
    private static final byte[] NONCE_BITMAP = selector("nonceBitmap(address,uint256)");

    private final ChainAdapter chain;
    private final AgentDirectory agents;
    private final RequestStore store;
    private final RequestTransitions transitions;
    private final SignatureRequests signatures;
    private final TokenDomains domains;
    private final TreasuryActions treasury;
    private final KillSwitch killSwitch;
    private final AddressScreen sanctions;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int batchSize;
    private final ConfirmationDepth depth;
    private final CancellationBackoff backoff;
    /**
     * Cancellations the chain kept from being recorded at all (it threw before anything was judged): how many
     * in a row, and when the last was, per authorization. Nothing of them is in the database, so the backoff
     * of this instance remembers them; losing them (a restart) costs at most one early try.
     */
    private final Map<UUID, Unrecorded> unrecorded = new ConcurrentHashMap<>();

    private record Unrecorded(int count, Instant lastAt) {}

    AuthorizationWatcher(
            ChainAdapter chain,
            AgentDirectory agents,
            RequestStore store,
            RequestTransitions transitions,
            SignatureRequests signatures,
            TokenDomains domains,
            TreasuryActions treasury,
            KillSwitch killSwitch,
            AddressScreen sanctions,
            TransactionTemplate transactions,
            Clock clock,
            int batchSize,
            ConfirmationDepth depth,
            CancellationBackoff backoff) {
        this.chain = chain;
        this.agents = agents;
        this.store = store;
        this.transitions = transitions;
        this.signatures = signatures;
        this.domains = domains;
        this.treasury = treasury;
        this.killSwitch = killSwitch;
        this.sanctions = sanctions;
        this.transactions = transactions;
        this.clock = clock;
        this.batchSize = batchSize;
        this.depth = depth;
        this.backoff = backoff;
    }

    /** What the chain shows of one signature at one block. */
    sealed interface Seen {
        record Unused() implements Seen {}

        record Used(Optional<TxHash> txHash, long block, String evidence) implements Seen {}

        record Cancelled(Optional<TxHash> txHash, long block) implements Seen {}
    }

    /** The two blocks a pass reads: the latest, and the safe head below it. */
    record Heads(ChainAdapter.BlockTime latest, ChainAdapter.BlockTime safe) {}

    /**
     * One pass over the outstanding signatures. A chain that cannot be reached while their state is read ends
     * the pass (the next one goes on); anything else that goes wrong with one request is that request's, and
     * the pass goes on with the next.
     */
    public void watch() {
        List<UUID> outstanding = store.authorized(batchSize);
        if (outstanding.isEmpty()) {
            return;
        }
        Heads heads;
        try {
            heads = heads();
        } catch (ChainException e) {
            log.debug("authorization watch skipped this pass: {}", e.getMessage());
            return;
        }
        for (UUID id : outstanding) {
            try {
                check(id, heads);
            } catch (ChainUnavailableException e) {
                log.warn("authorization watch stopped for this pass at request {}: {}", id, e.getMessage());
                return;
            } catch (RuntimeException e) {
                if (DatabaseFailures.unavailable(e)) {
                    throw e; // not this request's fault: the whole pass waits for the database
                }
                // One request the chain or its own data cannot answer for (a contract that does not answer as the
                // standard says) must not keep the others from being watched: it is tried again next pass.
                log.warn("authorization watch could not check request {} this pass: {}", id, e.toString());
            }
        }
    }

    /** Checks one outstanding signature now, as a pass would; for a retry that wants a fresh answer. */
    public StoredRequest checkNow(UUID id) {
        try {
            check(id, heads());
        } catch (ChainException e) {
            log.info("request {}: could not ask the chain whether its signature was used: {}", id, e.getMessage());
        }
        return store.find(id).orElseThrow();
    }

    private Heads heads() {
        ChainAdapter.BlockTime latest = chain.latestBlock();
        long safe = depth.safeBlock(latest.number());
        return new Heads(latest, safe == latest.number() ? latest : chain.blockAt(safe));
    }

    private void check(UUID id, Heads heads) {
        StoredRequest request = store.find(id).orElseThrow();
        if (request.status() != RequestStatus.AUTHORIZED) {
            unrecorded.remove(id);
            return;
        }
        Agent agent = agents.find(request.agentId(), request.walletId()).orElseThrow();
        // What was signed is followed as it was recognised then: today's configuration (another Permit2, a USDC
        // domain that no longer checks out) must not change what is watched. Only a request signed before the
        // use was recorded (V19) is read again.
        Optional<OnChainUse> use = request.typedData()
                .flatMap(SignedTypedData::use)
                .or(() -> signatures.recognise(agent.walletAddress(), request).use());
        if (use.isEmpty()) {
            return; // cannot happen for an AUTHORIZED request; nothing to watch
        }
        ChainAdapter.BlockTime safe = heads.safe();
        Seen seen = read(use.get(), heads.latest().number(), request);
        RequestEvent event = switch (seen) {
            case Seen.Used used ->
                new RequestEvent.AuthorizationUsed(used.txHash(), used.block(), Optional.empty(), used.evidence());
            // Voided only once the cancellation is at or below the safe head: above it, a reorganisation could put
            // a use in its place. Until then the reservation stays held, and nothing is cancelled again.
            case Seen.Cancelled cancelled
            when cancelled.block() <= safe.number() ->
                new RequestEvent.AuthorizationCancelled(
                        store.cancellationOf(id).orElse(id),
                        cancelled.txHash(),
                        cancelled.block(),
                        store.cancellationOf(id)
                                .flatMap(store::find)
                                .map(c -> String.valueOf(c.description().get("comment")))
                                .orElse("cancelled on chain"));
            case Seen.Cancelled cancelled -> {
                log.debug(
                        "request {}: its cancellation is in block {}, above the safe head {}; voided once it is below",
                        id,
                        cancelled.block(),
                        safe.number());
                yield null;
            }
            case Seen.Unused unused ->
                lapsed(use.get(), safe, request)
                        ? new RequestEvent.AuthorizationLapsed(use.get().usableUntil(), safe.number(), safe.timestamp())
                        : null;
        };
        if (event != null) {
            transactions.executeWithoutResult(tx -> store.lock(id)
                    .filter(locked -> locked.status() == RequestStatus.AUTHORIZED)
                    .ifPresent(locked -> transitions.apply(locked, event, Actor.GUARDIAN, clock.instant())));
            unrecorded.remove(id);
            return;
        }
        if (seen instanceof Seen.Unused && use.get() instanceof OnChainUse.Eip3009 authorization) {
            stopped(agent, authorization).ifPresent(why -> cancel(agent, request, authorization, why));
        }
    }

    /**
     * Whether no block can use the signature any more: the safe head's time is past its last usable instant
     * (at or after an EIP-3009 {@code validBefore}), and at the safe head it is unused. Blocks at or below the
     * safe head are taken as final, and later blocks only have later times. Chain time only: a head that lags
     * Guardian's clock (a stalled node, a sequencer catching up with back-dated blocks) may still include the
     * signature, so the clock never voids a reservation; a chain that makes no blocks holds it until it does.
     */
    private boolean lapsed(OnChainUse use, ChainAdapter.BlockTime safe, StoredRequest request) {
        if (!safe.timestamp().isAfter(use.usableUntil())) {
            return false;
        }
        return read(use, safe.number(), request) instanceof Seen.Unused;
    }

    /** Why an outstanding authorization must be cancelled now, if it must. */
    private Optional<String> stopped(Agent agent, OnChainUse.Eip3009 authorization) {
        if (killSwitch.engaged()) {
            return Optional.of("the kill switch is engaged");
        }
        Agent current = agents.find(agent.id(), agent.walletId()).orElseThrow();
        if (current.frozen()) {
            return Optional.of("agent " + agent.id() + " is frozen");
        }
        Set<Address> hits = sanctions.screen(Set.of(authorization.to())).hits();
        return hits.isEmpty()
                ? Optional.empty()
                : Optional.of("the payee " + hits.iterator().next() + " is now on a sanctions list");
    }

    /**
     * Cancels the authorization on chain, unless a cancellation is on its way (or done), or the last one failed
     * too recently. A cancellation the chain kept from being recorded is noted here for the backoff; one that
     * was recorded and denied or failed is counted from the database, whichever instance recorded it.
     */
    private void cancel(Agent agent, StoredRequest request, OnChainUse.Eip3009 authorization, String why) {
        UUID id = request.id();
        if (store.cancellationOf(id).isPresent()) {
            return;
        }
        Instant now = clock.instant();
        RequestStore.FailedCancellations recorded = store.failedCancellationsOf(id);
        Optional<Unrecorded> thrown = Optional.ofNullable(unrecorded.get(id));
        int failures = recorded.count() + thrown.map(Unrecorded::count).orElse(0);
        Optional<Instant> last = latest(recorded.lastAt(), thrown.map(Unrecorded::lastAt));
        Optional<Instant> next = backoff.nextAttempt(failures, last);
        if (next.isPresent() && now.isBefore(next.get())) {
            log.debug("request {}: its cancellation failed {} time(s); tried again at {}", id, failures, next.get());
            return;
        }
        Optional<StoredRequest> cancellation;
        try {
            cancellation = treasury.cancelAuthorization(agent, request, authorization, domains.configured(), why);
        } catch (ChainException e) {
            // Whatever the chain answered to this one cancellation (an outage included), nothing was recorded, and
            // the next request of the pass is watched all the same; this one waits its turn.
            Unrecorded noted = new Unrecorded(thrown.map(Unrecorded::count).orElse(0) + 1, now);
            if (unrecorded.size() > 10_000) {
                unrecorded.clear(); // a bound, not a cache: at worst a few tries come early
            }
            unrecorded.put(id, noted);
            log.warn(
                    "request {}: could not cancel its outstanding authorization ({}): the chain answered: {}; nothing"
                            + " was recorded; tried again at {}",
                    id,
                    why,
                    e.getMessage(),
                    now.plus(backoff.after(failures + 1)));
            return;
        }
        unrecorded.remove(id);
        cancellation.ifPresent(c -> {
            if (c.status() == RequestStatus.DENIED || c.status() == RequestStatus.FAILED) {
                log.warn(
                        "request {}: the cancellation of its outstanding authorization ({}), request {}, is {}: {};"
                                + " tried again at {}",
                        id,
                        why,
                        c.id(),
                        c.status(),
                        c.reasons().isEmpty()
                                ? c.failure().orElse("")
                                : c.reasons().stream()
                                        .map(r -> r.ruleId() + ": " + r.message())
                                        .toList(),
                        c.updatedAt().plus(backoff.after(failures + 1)));
            } else {
                log.warn(
                        "request {}: cancelling its outstanding authorization on chain ({}): cancellation request {} is"
                                + " {}",
                        id,
                        why,
                        c.id(),
                        c.status());
            }
        });
    }

    private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
    }

    private Seen read(OnChainUse use, long block, StoredRequest request) {
        return switch (use) {
            case OnChainUse.Eip3009 a -> readAuthorization(a, block, request);
            case OnChainUse.Eip2612 permit -> {
                BigInteger next = word(chain.callAt(permit.token(), call(NONCES, word(permit.owner())), block, 32));
                yield next.compareTo(permit.nonce()) > 0
                        ? new Seen.Used(
                                Optional.empty(),
                                block,
                                "nonces(owner) is " + next + ", past the permit's " + permit.nonce())
                        : new Seen.Unused();
            }
            case OnChainUse.Permit2Allowance permit -> {
                for (OnChainUse.Permit2Allowance.Grant grant : permit.grants()) {
                    byte[] answer = chain.callAt(
                            permit.permit2(),
                            call(PERMIT2_ALLOWANCE, word(permit.owner()), word(grant.token()), word(grant.spender())),
                            block,
                            96);
                    BigInteger nonce = new BigInteger(1, Arrays.copyOfRange(answer, 64, 96));
                    if (nonce.compareTo(grant.nonce()) > 0) {
                        yield new Seen.Used(
                                Optional.empty(),
                                block,
                                "the Permit2 allowance nonce of " + grant.token() + " for " + grant.spender() + " is "
                                        + nonce + ", past the permit's " + grant.nonce());
                    }
                }
                yield new Seen.Unused();
            }
            case OnChainUse.Permit2Transfer permit -> readUnorderedNonce(permit, block);
        };
    }

    private Seen readAuthorization(OnChainUse.Eip3009 a, long block, StoredRequest request) {
        byte[] state = chain.callAt(a.token(), call(AUTHORIZATION_STATE, word(a.authorizer()), a.nonce()), block, 32);
        if (new BigInteger(1, state).signum() == 0) {
            return new Seen.Unused();
        }
        List<String> topics = List.of(
                AUTHORIZATION_USED_TOPIC,
                "0x" + "0".repeat(24) + a.authorizer().toLowerHex().substring(2),
                Hex.encode(a.nonce()));
        long from = Math.max(0, block - LOG_LOOKBACK_BLOCKS);
        List<ChainAdapter.EventLog> used = chain.logs(a.token(), topics, from, block);
        if (!used.isEmpty()) {
            ChainAdapter.EventLog log = used.getFirst();
            return new Seen.Used(
                    Optional.of(log.transaction()), log.block(), "AuthorizationUsed in " + log.transaction());
        }
        List<ChainAdapter.EventLog> cancelled =
                chain.logs(a.token(), List.of(AUTHORIZATION_CANCELED_TOPIC, topics.get(1), topics.get(2)), from, block);
        if (!cancelled.isEmpty()) {
            ChainAdapter.EventLog log = cancelled.getFirst();
            return new Seen.Cancelled(Optional.of(log.transaction()), log.block());
        }
        // Settled further back than the logs were read: used, unless it was Guardian's own cancellation that
        // confirmed. Posting is the safe side when the chain cannot say which: the money may have left.
        Optional<StoredRequest> cancelledByGuardian = store.cancellationOf(request.id())
                .flatMap(store::find)
                .filter(c -> c.status() == RequestStatus.CONFIRMED);
        return cancelledByGuardian.isPresent()
                // Mined where its receipt says; older than the logs that were read, if that is not known.
                ? new Seen.Cancelled(
                        Optional.empty(),
                        cancelledByGuardian.get().blockNumber().orElse(from))
                : new Seen.Used(
                        Optional.empty(),
                        block,
                        "authorizationState is true, and no event within " + LOG_LOOKBACK_BLOCKS
                                + " blocks says by what");
    }

    private Seen readUnorderedNonce(OnChainUse.Permit2Transfer permit, long block) {
        BigInteger wordPosition = permit.nonce().shiftRight(8);
        int bit = permit.nonce().and(BigInteger.valueOf(255)).intValue();
        try {
            BigInteger bitmap = word(chain.callAt(
                    permit.permit2(), call(NONCE_BITMAP, word(permit.owner()), word(wordPosition)), block, 32));
            return bitmap.testBit(bit)
                    ? new Seen.Used(Optional.empty(), block, "Permit2's nonce bitmap has the permit's nonce set")
                    : new Seen.Unused();
        } catch (ChainRequestFailedException e) {
            // Permit2 does not answer (not the real one): whether it was used cannot be read, so it counts as used.
            return new Seen.Used(Optional.empty(), block, "Permit2 did not answer nonceBitmap: " + e.getMessage());
        }
    }

    private static BigInteger word(byte[] answer) {
        return new BigInteger(1, Arrays.copyOf(answer, 32));
    }

    private static byte[] word(Address address) {
        byte[] word = new byte[32];
        System.arraycopy(address.toBytes(), 0, word, 12, 20);
        return word;
    }

    private static byte[] word(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] word = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, word, 32 - length, length);
        return word;
    }

    private static byte[] call(byte[] selector, byte[]... words) {
        byte[] data = new byte[4 + 32 * words.length];
        System.arraycopy(selector, 0, data, 0, 4);
        for (int i = 0; i < words.length; i++) {
            System.arraycopy(words[i], 0, data, 4 + 32 * i, 32);
        }
        return data;
    }

    private static byte[] selector(String signature) {
        return Arrays.copyOf(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)), 4);
    }

    private static String topic(String signature) {
        return Hex.encode(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)));
    }
}
