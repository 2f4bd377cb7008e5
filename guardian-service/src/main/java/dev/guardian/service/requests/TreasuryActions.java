package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.agents.RelayerAccount;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainContracts;
import dev.guardian.service.chain.ChainRequestFailedException;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.sanctions.AddressScreen;
import dev.guardian.service.signatures.OnChainUse;
import dev.guardian.service.signatures.TokenDomain;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.Signature;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Treasury actions that work when things go wrong: revoke an allowance an agent's wallet granted, and
 * sweep a wallet's funds to the configured sweep address ({@code guardian.treasury.sweep-address}), asked
 * for by a person of the treasury, while the agent is frozen or the kill switch is engaged as much as
 * when it is not.
 *
 * <p>Each becomes a request of its own kind ({@link RequestKind#TREASURY_REVOKE},
 * {@link RequestKind#TREASURY_SWEEP}) on the agent's path where it matters: the exact call is quoted and
 * simulated as it will be signed ({@link ExactSimulation}); it is judged by the narrow
 * {@link TreasuryCheck} instead of the agent's policy; it is recorded, with its effects and the audit
 * records of its steps (the first naming the person), in one transaction under the agent's lock; it is
 * signed and broadcast by the same {@link TransactionSubmitter} with the same nonce handling, and followed
 * to its receipt and reconciled by the same receipt worker. It reserves nothing against the agent's (or
 * its team's) limits, fee included: it is not the agent's spending. A revocation that confirms releases
 * the exposure the agent held for the allowance, as an agent's own revocation does.
 *
 * <p>A sweep never sends anywhere but the configured address: the request body names no recipient, so a
 * stolen treasury token cannot drain a wallet to its thief.
 */
public class TreasuryActions {
    private static final Logger log = LoggerFactory.getLogger(TreasuryActions.class);

    /** Permit2's {@code lockdown((address,address)[])}: sets each (token, spender) allowance of the caller to zero. */
    private static final byte[] LOCKDOWN = selector("lockdown((address,address)[])");

    private static final byte[] APPROVE = selector("approve(address,uint256)");

    private static final byte[] CANCEL_AUTHORIZATION =
            selector("cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)");

    private final ExactSimulation simulations;
    private final AssetRegistry assets;
    private final ChainAdapter chain;
    private final ChainContracts contracts;
    private final AddressScreen sanctions;
    private final RequestStore store;
    private final Reservations reservations;
    private final RequestTransitions transitions;
    private final ExposureTracker exposure;
    private final TransactionSubmitter submitter;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Optional<Address> sweepAddress;
    private final KeyVault vault;
    private final Relayer relayer;

    TreasuryActions(
            ExactSimulation simulations,
            AssetRegistry assets,
            ChainAdapter chain,
            ChainContracts contracts,
            AddressScreen sanctions,
            RequestStore store,
            Reservations reservations,
            RequestTransitions transitions,
            ExposureTracker exposure,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock,
            Optional<Address> sweepAddress,
            KeyVault vault,
            Relayer relayer) {
        this.vault = vault;
        this.relayer = relayer;
        this.simulations = simulations;
        this.assets = assets;
        this.chain = chain;
        this.contracts = contracts;
        this.sanctions = sanctions;
        this.store = store;
        this.reservations = reservations;
        this.transitions = transitions;
        this.exposure = exposure;
        this.submitter = submitter;
        this.transactions = transactions;
        this.clock = clock;
        this.sweepAddress = sweepAddress;
    }

    /** Where sweeps send to, if configured. */
    public Optional<Address> sweepAddress() {
        return sweepAddress;
    }

    /**
     * Revokes the allowance that {@code wallet} (an agent with the wallet it acts on) gave {@code spender}
     * over {@code token}: recorded, judged by the treasury check, and, accepted, signed and broadcast.
     *
     * @return the request: accepted (and on its way), or denied (with every reason)
     * @throws TreasuryActionRefusedException when the allowance is zero already, the same revocation is in
     *     flight, or a Permit2 allowance is named without a configured Permit2
     * @throws dev.guardian.service.chain.ChainUnavailableException when the chain cannot be asked; nothing
     *     is recorded
     */
    public StoredRequest revoke(
            Agent wallet, Asset token, Address spender, Approval.Kind kind, String comment, Actor person) {
        refuseSafe(wallet);
        TreasuryAction.Revocation revocation = new TreasuryAction.Revocation(token, spender, kind, person, comment);
        Address owner = wallet.walletAddress();
        Address contract = revocation.tokenContract();
        Optional<Address> permit2 = contracts.permit2();
        if (kind == Approval.Kind.PERMIT2 && permit2.isEmpty()) {
            throw new TreasuryActionRefusedException(
                    TreasuryActionRefusedException.PERMIT2_NOT_CONFIGURED,
                    "a Permit2 allowance is named, but this deployment has no guardian.chain.permit2");
        }
        requireNoRevocationInFlight(wallet, revocation);
        Optional<BigInteger> onChain = allowanceOnChain(owner, contract, spender, kind, permit2);
        if (onChain.isPresent() && onChain.get().signum() == 0) {
            throw new TreasuryActionRefusedException(
                    TreasuryActionRefusedException.ALLOWANCE_ALREADY_ZERO,
                    "the " + kind + " allowance of " + revocation.describe().get("token") + " that " + owner + " gave "
                            + spender + " is zero on chain already; nothing was recorded or signed");
        }
        ContractCall call = kind == Approval.Kind.PERMIT2
                ? new ContractCall(owner, permit2.orElseThrow(), zeroValue(), lockdown(contract, spender))
                : new ContractCall(owner, contract, zeroValue(), approveZero(spender));
        ExactSimulation.Result exact = simulations.quoteAndSimulate(call);
        Decision decision = TreasuryCheck.revocation(revocation, owner, exact.simulation());
        // The allowances of this spender as the chain holds them now, so that what it took on its own before
        // the revocation is posted as spent first (as for an agent's request), and the rest is released.
        List<ExposureTracker.OnChain> allowances = exact.simulation() instanceof Simulation.Succeeded succeeded
                ? exposure.readFor(owner, succeeded.effects())
                : List.of();
        Judged judged = new Judged(revocation, call, exact, decision, Optional.empty());
        StoredRequest stored = transactions.execute(tx -> {
            store.lockAgent(wallet.id());
            requireNoRevocationInFlight(wallet, revocation);
            Instant now = clock.instant();
            exposure.reconcile(wallet.id(), allowances, now);
            List<AllowanceChange> changes =
                    decision.verdict() == Verdict.ALLOW ? released(wallet, revocation) : List.of();
            return record(wallet, judged, changes, now);
        });
        return stored.status() == RequestStatus.ALLOWED ? submitter.submit(stored, wallet) : stored;
    }

    /**
     * Cancels on chain the outstanding EIP-3009 authorization of {@code authorization} (an AUTHORIZED request
     * of {@code wallet}'s), because {@code why}. Only the authorizer can sign {@code CancelAuthorization(authorizer,
     * nonce)}, so the wallet signs it; anyone may submit {@code cancelAuthorization}, so Guardian's relayer does,
     * and pays the gas: a wallet that holds no ETH can still have its authorization cancelled. The call is
     * simulated from the relayer as it will be sent, judged by the narrow treasury check, and followed like any
     * treasury action; its fee counts against none of the agent's limits. A relayer that holds less than the
     * most the call can cost is a denial of its own ({@code relayer.insufficient-funds}, with the figures).
     * Whoever uses the authorization first wins: if it is used before the cancellation is mined, the
     * cancellation reverts (it is denied here if that already shows in the simulation) and the authorization
     * is posted as used.
     *
     * @return the cancellation request, or empty when one is already on its way for this authorization
     */
    public Optional<StoredRequest> cancelAuthorization(
            Agent wallet, StoredRequest authorization, OnChainUse.Eip3009 use, TokenDomain domain, String why) {
        if (store.cancellationOf(authorization.id()).isPresent()) {
            return Optional.empty();
        }
        TreasuryAction.Cancellation cancellation =
                new TreasuryAction.Cancellation(authorization.id(), use.token(), use.nonce(), why);
        Signature signature = vault.signerFor(wallet.sealedKey()).sign(cancelTypedData(use, domain));
        RelayerAccount sender = relayer.account();
        ContractCall call =
                new ContractCall(sender.address(), use.token(), zeroValue(), cancelAuthorizationCall(use, signature));
        ExactSimulation.Result exact = simulations.quoteAndSimulate(call);
        Optional<Reason> unpaid = relayerCannotPay(sender.address(), exact.fee());
        Decision decision = unpaid.map(reason -> Decision.of(List.of(reason)))
                .orElseGet(() -> TreasuryCheck.cancellation(cancellation, exact.simulation()));
        if (unpaid.isPresent()) {
            log.warn(
                    "the relayer {} cannot pay for the cancellation of request {}'s authorization: {}",
                    sender.address(),
                    authorization.id(),
                    unpaid.get().message());
        }
        Judged judged = new Judged(cancellation, call, exact, decision, Optional.empty());
        StoredRequest stored;
        try {
            stored = transactions.execute(tx -> {
                store.lockAgent(wallet.id());
                if (store.cancellationOf(authorization.id()).isPresent()) {
                    return null;
                }
                return record(
                        wallet,
                        judged,
                        List.of(),
                        clock.instant(),
                        Optional.of(authorization.id()),
                        Optional.of(sender.id()));
            });
        } catch (DuplicateKeyException raced) {
            return Optional.empty(); // another instance recorded its cancellation first
        }
        if (stored == null) {
            return Optional.empty();
        }
        return Optional.of(stored.status() == RequestStatus.ALLOWED ? submitter.submit(stored, wallet) : stored);
    }

    /**
     * Why the relayer cannot pay for a transaction that may cost up to {@code fee}, if it cannot: it holds
     * less. Without a fee (the gas estimate reverted) the simulation's refusal says why instead.
     */
    private Optional<Reason> relayerCannotPay(Address relayerAddress, Optional<JudgedFee> fee) {
        if (fee.isEmpty()) {
            return Optional.empty();
        }
        Asset.Native coin = assets.nativeAsset();
        TokenAmount balance = chain.balance(coin, relayerAddress);
        TokenAmount cost = new TokenAmount(coin, fee.get().maxCostWei());
        if (balance.units().compareTo(cost.units()) >= 0) {
            return Optional.empty();
        }
        return Optional.of(Reason.deny(
                        RuleId.RELAYER_INSUFFICIENT_FUNDS,
                        "Guardian's relayer " + relayerAddress + " holds " + balance + ", less than the " + cost
                                + " the cancellation may cost in fees; nothing was sent. Fund the relayer"
                                + " (its address: GET /v1/relayer); the cancellation is tried again after a while")
                .about(relayerAddress)
                .with(new Numbers(balance, cost, TokenAmount.zero(coin), balance, Optional.empty(), Optional.empty())));
    }

    private static TypedData cancelTypedData(OnChainUse.Eip3009 use, TokenDomain domain) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(
                "types",
                Map.of(
                        "EIP712Domain",
                        List.of(
                                Map.of("name", "name", "type", "string"),
                                Map.of("name", "version", "type", "string"),
                                Map.of("name", "chainId", "type", "uint256"),
                                Map.of("name", "verifyingContract", "type", "address")),
                        "CancelAuthorization",
                        List.of(
                                Map.of("name", "authorizer", "type", "address"),
                                Map.of("name", "nonce", "type", "bytes32"))));
        json.put("primaryType", "CancelAuthorization");
        json.put(
                "domain",
                Map.of(
                        "name", domain.name(),
                        "version", domain.version(),
                        "chainId", Long.toString(domain.chainId()),
                        "verifyingContract", use.token().toLowerHex()));
        json.put("message", Map.of("authorizer", use.authorizer().toLowerHex(), "nonce", Hex.encode(use.nonce())));
        return TypedData.fromJson(json);
    }

    /** {@code cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)}. */
    private static byte[] cancelAuthorizationCall(OnChainUse.Eip3009 use, Signature signature) {
        byte[] data = new byte[4 + 32 * 5];
        System.arraycopy(CANCEL_AUTHORIZATION, 0, data, 0, 4);
        System.arraycopy(use.authorizer().toBytes(), 0, data, 4 + 12, 20);
        System.arraycopy(use.nonce(), 0, data, 4 + 32, 32);
        data[4 + 64 + 31] = (byte) (27 + signature.recoveryId());
        System.arraycopy(signature.r(), 0, data, 4 + 96, 32);
        System.arraycopy(signature.s(), 0, data, 4 + 128, 32);
        return data;
    }

    /** What a sweep did: the requests it recorded, in the order they are signed, and the assets it left alone. */
    public record SweepOutcome(Address sweepAddress, List<StoredRequest> requests, List<Skipped> skipped) {
        public SweepOutcome {
            requests = List.copyOf(requests);
            skipped = List.copyOf(skipped);
        }

        /** Whether the treasury check refused it: then only the refused requests are recorded, nothing is signed. */
        public boolean refused() {
            return requests.stream().anyMatch(r -> r.verdict() == Verdict.DENY);
        }
    }

    /** An asset named that had nothing to sweep, and why. */
    public record Skipped(String asset, String reason) {}

    /**
     * Sweeps each of {@code named} (registered assets) from the wallet to the sweep address: each token's
     * whole balance, then the native coin's balance less the most every transaction of this sweep can cost
     * in fees (so the sweep pays its own gas). All or nothing at the decision: every asset is simulated and
     * judged first; if the check refuses any, only the refused ones are recorded (denied) and nothing is
     * signed; otherwise all are recorded together and signed in order, tokens first.
     *
     * @throws TreasuryActionRefusedException when no sweep address is configured, it is one of Guardian's
     *     wallets, the wallet has transactions in flight, or nothing named has anything to sweep
     */
    public SweepOutcome sweep(Agent wallet, List<Asset> named, String comment, Actor person) {
        refuseSafe(wallet);
        Address to = sweepAddress.orElseThrow(() -> new TreasuryActionRefusedException(
                TreasuryActionRefusedException.SWEEP_ADDRESS_NOT_CONFIGURED,
                "no sweep address is configured (guardian.treasury.sweep-address); Guardian sweeps only to the"
                        + " address its operator configured, never to one given in a request"));
        if (store.isWalletAddress(to)) {
            throw new TreasuryActionRefusedException(
                    TreasuryActionRefusedException.SWEEP_ADDRESS_IS_A_WALLET,
                    "the configured sweep address " + to + " is one of Guardian's own wallets; sweep to the"
                            + " treasury's own address instead");
        }
        requireIdle(wallet);
        Address owner = wallet.walletAddress();
        List<Asset> ordered = new ArrayList<>(
                named.stream().filter(a -> !(a instanceof Asset.Native)).toList());
        named.stream().filter(a -> a instanceof Asset.Native).forEach(ordered::add);
        List<Judged> judged = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        // What the transactions of this sweep before the native coin's can cost at most: the native sweep
        // leaves that much behind, so that none of them is refused for want of gas.
        BigInteger feesBefore = BigInteger.ZERO;
        for (Asset asset : ordered) {
            TokenAmount balance = chain.balance(asset, owner);
            if (balance.isZero()) {
                skipped.add(new Skipped(asset.symbol(), "the wallet holds none"));
                continue;
            }
            if (asset instanceof Asset.Native coin) {
                BigInteger reserved = feesBefore;
                Optional<ExactSimulation.Shaped> shaped =
                        simulations.quoteAndSimulate(new ContractCall(owner, to, balance, new byte[0]), fee -> {
                            BigInteger value =
                                    balance.units().subtract(reserved).subtract(fee.maxCostWei());
                            return value.signum() > 0
                                    ? Optional.of(
                                            new ContractCall(owner, to, new TokenAmount(coin, value), new byte[0]))
                                    : Optional.empty();
                        });
                if (shaped.isEmpty()) {
                    skipped.add(new Skipped(
                            coin.symbol(),
                            "the balance, " + balance + ", does not exceed what the sweep's transactions can cost in"
                                    + " fees"));
                    continue;
                }
                ContractCall call = shaped.get().call();
                TreasuryAction.Sweep sweep = new TreasuryAction.Sweep(call.value(), to, person, comment);
                judged.add(judge(sweep, owner, call, shaped.get().result()));
            } else {
                ContractCall call = new ContractCall(owner, contractOf(asset), zeroValue(), transfer(to, balance));
                ExactSimulation.Result exact = simulations.quoteAndSimulate(call);
                judged.add(judge(new TreasuryAction.Sweep(balance, to, person, comment), owner, call, exact));
                feesBefore =
                        feesBefore.add(exact.fee().map(JudgedFee::maxCostWei).orElse(BigInteger.ZERO));
            }
        }
        if (judged.isEmpty()) {
            throw new TreasuryActionRefusedException(
                    TreasuryActionRefusedException.NOTHING_TO_SWEEP,
                    "nothing to sweep from " + owner + ": "
                            + String.join(
                                    "; ",
                                    skipped.stream()
                                            .map(s -> s.asset() + ": " + s.reason())
                                            .toList()));
        }
        List<Judged> refused = judged.stream()
                .filter(j -> j.decision().verdict() != Verdict.ALLOW)
                .toList();
        List<Judged> recorded = refused.isEmpty() ? judged : refused;
        List<StoredRequest> stored = transactions.execute(tx -> {
            store.lockAgent(wallet.id());
            if (refused.isEmpty()) {
                requireIdle(wallet);
            }
            Instant now = clock.instant();
            return recorded.stream().map(j -> record(wallet, j, List.of(), now)).toList();
        });
        List<StoredRequest> after = new ArrayList<>();
        for (StoredRequest request : stored) {
            after.add(request.status() == RequestStatus.ALLOWED ? submitter.submit(request, wallet) : request);
        }
        return new SweepOutcome(to, after, skipped);
    }

    /** A treasury action as simulated and judged, ready to be recorded. */
    private record Judged(
            TreasuryAction action,
            ContractCall call,
            ExactSimulation.Result exact,
            Decision decision,
            Optional<ScreeningResult> screening) {}

    /** Screens what a sweep would touch (the sweep address first among them) and judges it. */
    private Judged judge(TreasuryAction.Sweep sweep, Address owner, ContractCall call, ExactSimulation.Result exact) {
        Optional<ScreeningResult> screening = Optional.empty();
        if (exact.simulation() instanceof Simulation.Succeeded succeeded) {
            Set<Address> touched = new LinkedHashSet<>();
            touched.add(sweep.to());
            touched.addAll(succeeded.effects().touched());
            touched.add(owner);
            touched.add(call.to());
            screening = Optional.of(sanctions.screen(touched));
        }
        return new Judged(
                sweep, call, exact, TreasuryCheck.sweep(sweep, owner, exact.simulation(), screening), screening);
    }

    /**
     * Records one judged treasury action in the caller's transaction (under the agent's lock): the person's
     * request, the simulation, the screening (sweeps), and the decision of the treasury check.
     */
    private StoredRequest record(Agent wallet, Judged judged, List<AllowanceChange> changes, Instant now) {
        return record(wallet, judged, changes, now, Optional.empty(), Optional.empty());
    }

    /** As above; {@code relayer}: the relayer that sends it, when the wallet does not send it itself. */
    private StoredRequest record(
            Agent wallet,
            Judged judged,
            List<AllowanceChange> changes,
            Instant now,
            Optional<UUID> cancels,
            Optional<String> relayer) {
        TreasuryAction action = judged.action();
        ContractCall call = judged.call();
        Simulation simulation = judged.exact().simulation();
        Optional<JudgedFee> fee = judged.exact().fee();
        SimulatedEffects effects = simulation instanceof Simulation.Succeeded s ? s.effects() : SimulatedEffects.NONE;
        List<EffectView> effectViews =
                effects.effects().stream().map(EffectView::of).toList();
        RequestKind kind = RequestKind.of(action.kind());
        RequestEvent.Decided decided = RequestEvent.Decided.treasury(
                kind,
                wallet.id(),
                wallet.walletAddress(),
                judged.screening().map(ScreeningResult::listVersion),
                judged.decision().verdict(),
                judged.decision().reasons().stream().map(ReasonView::of).toList(),
                fee);
        List<AuditLog.Entry> steps = new ArrayList<>();
        steps.add(new AuditLog.Entry(
                new RequestSteps.TreasuryActionRequested(
                        wallet.id(),
                        wallet.walletAddress(),
                        kind.name(),
                        action.describe(),
                        new RequestSteps.Transaction(
                                call.to().toString(), call.value().units().toString(), Hex.encode(call.data()))),
                action.requestedBy()));
        steps.add(new AuditLog.Entry(RequestSteps.Simulated.of(simulation, effectViews), Actor.GUARDIAN));
        judged.screening().ifPresent(s -> steps.add(new AuditLog.Entry(RequestSteps.Screened.of(s), Actor.GUARDIAN)));
        return transitions.record(
                new RequestTransitions.NewRequest(
                        UUID.randomUUID(),
                        wallet.id(),
                        wallet.walletId(),
                        Optional.empty(),
                        action,
                        call.to(),
                        call.value().units(),
                        call.data(),
                        effectViews,
                        fee,
                        changes,
                        now,
                        Optional.empty(),
                        cancels,
                        relayer),
                steps,
                decided,
                Optional.empty(),
                List.of());
    }

    /**
     * The exposure the agent holds for this allowance of this wallet, which the revocation releases once it
     * confirms (read under the agent's lock, after what the spender took was posted).
     */
    private List<AllowanceChange> released(Agent wallet, TreasuryAction.Revocation revocation) {
        BigInteger held =
                reservations
                        .heldExposure(wallet.id(), Optional.of(revocation.token()), Optional.of(revocation.spender()))
                        .stream()
                        .filter(h -> h.wallet().equals(wallet.walletAddress()))
                        .map(Reservations.HeldExposure::reservation)
                        .filter(r -> r.allowance().equals(Optional.of(revocation.allowance())))
                        .map(r -> r.amount().units())
                        .reduce(BigInteger.ZERO, BigInteger::add);
        return held.signum() == 0
                ? List.of()
                : List.of(new AllowanceChange(
                        AssetKeys.key(revocation.token()),
                        revocation.spender(),
                        revocation.allowance(),
                        BigInteger.ZERO,
                        held));
    }

    /**
     * The allowance as the chain holds it now; empty when the token (or Permit2) does not answer like one,
     * in which case the treasury check judges what the call would do.
     */
    private Optional<BigInteger> allowanceOnChain(
            Address owner, Address token, Address spender, Approval.Kind kind, Optional<Address> permit2) {
        try {
            return Optional.of(
                    kind == Approval.Kind.PERMIT2
                            ? chain.permit2Allowance(permit2.orElseThrow(), owner, token, spender)
                            : chain.allowance(token, owner, spender));
        } catch (ChainRequestFailedException notAToken) {
            return Optional.empty();
        }
    }

    private void requireNoRevocationInFlight(Agent wallet, TreasuryAction.Revocation revocation) {
        List<UUID> inFlight = store.revocationsInFlight(
                wallet.walletId(), revocation.tokenContract(), revocation.spender(), revocation.allowance());
        if (!inFlight.isEmpty()) {
            throw new TreasuryActionRefusedException(
                    TreasuryActionRefusedException.REVOCATION_IN_FLIGHT,
                    "a revocation of this allowance is on its way to the chain already: request " + inFlight.getFirst()
                            + "; follow it with GET /v1/requests/" + inFlight.getFirst(),
                    inFlight);
        }
    }

    /** A sweep computes what is left from the balances now: it waits for nothing else of the wallet's to be mined. */
    private void requireIdle(Agent wallet) {
        List<UUID> inFlight = store.inFlightOf(wallet.walletId());
        if (!inFlight.isEmpty()) {
            throw new TreasuryActionRefusedException(
                    TreasuryActionRefusedException.WALLET_BUSY,
                    "wallet " + wallet.walletId() + " has " + inFlight.size() + " transaction(s) on their way to"
                            + " the chain " + inFlight + "; a sweep reads what the wallet holds, so it waits until"
                            + " they are mined or have failed (freeze the agent, or engage the kill switch, so that no"
                            + " more are signed), then sweep again",
                    inFlight);
        }
    }

    private TokenAmount zeroValue() {
        return TokenAmount.zero(assets.nativeAsset());
    }

    private static Address contractOf(Asset asset) {
        return switch (asset) {
            case Asset.Erc20 token -> token.contract();
            case Asset.UnknownToken token -> token.contract();
            case Asset.Native coin -> throw new IllegalArgumentException("the native coin has no contract");
        };
    }

    private static byte[] approveZero(Address spender) {
        byte[] data = new byte[4 + 32 + 32];
        System.arraycopy(APPROVE, 0, data, 0, 4);
        System.arraycopy(spender.toBytes(), 0, data, 4 + 12, 20);
        return data;
    }

    private static byte[] transfer(Address to, TokenAmount amount) {
        return RequestPipeline.Erc20Calls.transfer(to, amount.units());
    }

    /** {@code lockdown([(token, spender)])}: the offset of the array, its length, then the one pair. */
    private static byte[] lockdown(Address token, Address spender) {
        byte[] data = new byte[4 + 32 * 4];
        System.arraycopy(LOCKDOWN, 0, data, 0, 4);
        data[4 + 31] = 0x20;
        data[4 + 32 + 31] = 1;
        System.arraycopy(token.toBytes(), 0, data, 4 + 64 + 12, 20);
        System.arraycopy(spender.toBytes(), 0, data, 4 + 96 + 12, 20);
        return data;
    }

    private static byte[] selector(String signature) {
        byte[] hash = Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII));
        byte[] selector = new byte[4];
        System.arraycopy(hash, 0, selector, 0, 4);
        return selector;
    }

    /**
     * Guardian's key in a Safe is one co-signing owner, and Guardian never co-signs a change for anyone but what
     * an agent proposes and the policy allows; treasury owners act on a Safe with their own signatures
     * (docs/safe-wallets.md, contracts/README.md "Recovery, step by step").
     */
    private static void refuseSafe(Agent wallet) {
        if (wallet.safe().isPresent()) {
            throw new TreasuryActionRefusedException(
                    TreasuryActionRefusedException.SAFE_WALLET,
                    "wallet " + wallet.walletId() + " is a co-signed Safe: its treasury owners revoke, sweep or recover"
                            + " it with their own signatures (docs/safe-wallets.md); Guardian does not act for them");
        }
    }
}
