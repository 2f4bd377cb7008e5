package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentChangeRefusedException;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.agents.SafeWallet;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.safe.SafeContracts;
import dev.guardian.service.safe.SafeDeployment;
import dev.guardian.service.safe.SafeGuardContracts;
import dev.guardian.service.safe.SafeGuardSetup;
import dev.guardian.service.safe.SafeOnChain;
import dev.guardian.service.safe.SafeSetup;
import dev.guardian.service.sanctions.AddressScreen;
import dev.guardian.signer.SealedKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates a co-signed Safe wallet for an agent, as a treasury asked: Guardian generates its co-signing key
 * (sealed like wallet keys), and the relayer sends the factory's {@code createProxyWithNonce} with
 * {@code Safe.setup(owners = [agent's key, Guardian's key, ...treasury], threshold 2, to = GuardianSafeGuardSetup,
 * data = setupGuard(config), fallbackHandler)}, so that the Safe never exists unguarded. The creation is a
 * treasury request ({@link RequestKind#TREASURY_SAFE_CREATION}) like a revocation or a sweep: simulated as it will
 * be sent, judged by the narrow {@link TreasuryCheck} (it creates, moves nothing), recorded with the wallet and
 * its audit records in one transaction, and sent and followed by the same submitter and receipt worker.
 *
 * <p>Refused before anything is recorded: an agent owner that is one of Guardian's own keys (a wallet's, a
 * Safe's co-signer, the relayer) or a treasury owner, or any owner on a sanctions list.
 */
public class SafeWalletCreation {
    private final AgentDirectory agents;
    private final SafeDeployment deployment;
    private final SafeGuardContracts.Deployment guard;
    private final AssetRegistry assets;
    private final ChainAdapter chain;
    private final AddressScreen sanctions;
    private final ExactSimulation simulations;
    private final RequestTransitions transitions;
    private final RequestStore store;
    private final TransactionSubmitter submitter;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Supplier<Address> relayer;
    private final SecureRandom random = new SecureRandom();

    SafeWalletCreation(
            AgentDirectory agents,
            SafeDeployment deployment,
            SafeGuardContracts.Deployment guard,
            AssetRegistry assets,
            ChainAdapter chain,
            AddressScreen sanctions,
            ExactSimulation simulations,
            RequestTransitions transitions,
            RequestStore store,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock,
            Supplier<Address> relayer) {
        this.agents = agents;
        this.deployment = deployment;
        this.guard = guard;
        this.assets = assets;
        this.chain = chain;
        this.sanctions = sanctions;
        this.simulations = simulations;
        this.transitions = transitions;
        this.store = store;
        this.submitter = submitter;
        this.transactions = transactions;
        this.clock = clock;
        this.relayer = relayer;
    }

    /** What the treasury asked for. */
    public record Order(
            AgentId agent,
            WalletId walletId,
            Address agentOwner,
            List<Address> treasuryOwners,
            BigInteger usdcCapUnits,
            Duration window,
            String comment) {
        public Order {
            treasuryOwners = List.copyOf(treasuryOwners);
        }
    }

    /** The wallet recorded and the creation's request as it stands (CONFIRMED once the Safe exists). */
    public record Created(WalletId walletId, Address safe, SafeWallet setup, StoredRequest creation) {}

    /** A creation the treasury must change: {@code field} is the body's pointer. */
    public static final class Refused extends RuntimeException {
        private final String field;

        Refused(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * Records the wallet and its creation, and sends the creation from the relayer.
     *
     * @throws Refused for an owner that cannot be one, or Safe wallets not configured here
     * @throws AgentChangeRefusedException for a wallet id or Safe in use, or a retired agent
     * @throws dev.guardian.service.chain.ChainUnavailableException when the chain cannot be asked
     */
    public Created create(Order order, Actor by) {
        SafeContracts contracts = deployment
                .contracts()
                .orElseThrow(() -> new Refused("", "Safe wallets are not configured on this chain (guardian.safe)"));
        SafeGuardContracts guardian = guard.contracts()
                .orElseThrow(
                        () -> new Refused(
                                "",
                                "the Safe guard is not configured on this chain (guardian.safe.guard, guardian.safe.guard-setup)"));
        Asset.Erc20 usdc = usdc();
        Address sender = relayer.get();
        Set<Address> owners = new LinkedHashSet<>();
        owners.add(order.agentOwner());
        for (Address owner : order.treasuryOwners()) {
            if (owner.equals(order.agentOwner())) {
                throw new Refused(
                        "/agentOwner",
                        "the agent's owner key " + owner + " is also a treasury owner: the"
                                + " agent could then act as the treasury and change the Safe");
            }
            if (!owners.add(owner)) {
                throw new Refused("/treasuryOwners", "treasury owner " + owner + " is listed twice");
            }
        }
        if (agents.isGuardianKey(order.agentOwner()) || order.agentOwner().equals(sender)) {
            throw new Refused(
                    "/agentOwner",
                    order.agentOwner() + " is one of Guardian's own keys (a wallet, a Safe's"
                            + " co-signer or the relayer): the agent's owner key must be the agent's, which Guardian never"
                            + " holds, or one signer would hold both signatures");
        }
        for (Address owner : order.treasuryOwners()) {
            if (agents.isGuardianKey(owner) || owner.equals(sender)) {
                throw new Refused(
                        "/treasuryOwners",
                        owner + " is one of Guardian's own keys; a treasury owner is the"
                                + " treasury's, so that recovery never needs Guardian");
            }
        }
        ScreeningResult screening = sanctions.screen(owners);
        if (!screening.hits().isEmpty()) {
            throw new Refused(
                    "/agentOwner", "on a sanctions list (" + screening.listVersion() + "): " + screening.hits());
        }
        SealedKey coSigner = agents.generateCoSigningKey();
        SafeGuardSetup.Config config = new SafeGuardSetup.Config(
                coSigner.address(),
                usdc.contract(),
                contracts.multiSendCallOnly(),
                order.usdcCapUnits(),
                order.window(),
                order.treasuryOwners());
        SafeSetup.Initializer initializer = SafeGuardSetup.initializer(
                order.agentOwner(), config, guardian.guardSetup(), contracts.fallbackHandler());
        BigInteger salt = new BigInteger(63, random);
        byte[] creationCode = SafeSetup.decodeProxyCreationCode(
                chain.callLatest(contracts.proxyFactory(), SafeSetup.proxyCreationCodeData(), 64));
        Address safe = SafeSetup.predictAddress(
                contracts.proxyFactory(), contracts.singleton(), initializer, salt, creationCode);
        SafeWallet setup = new SafeWallet(
                order.agentOwner(),
                coSigner.address(),
                order.treasuryOwners(),
                2,
                guardian.guard(),
                contracts.multiSendCallOnly(),
                contracts.fallbackHandler(),
                usdc.contract(),
                order.usdcCapUnits(),
                order.window(),
                salt);
        ContractCall call = SafeSetup.createProxyWithNonce(sender, contracts, initializer, salt);
        ExactSimulation.Result exact = simulations.quoteAndSimulate(call);
        TreasuryAction.SafeCreation action =
                new TreasuryAction.SafeCreation(safe, contracts.proxyFactory(), by, order.comment());
        Decision decision = TreasuryCheck.safeCreation(action, guardian.guard(), exact.simulation());
        StoredRequest recorded = transactions.execute(tx -> {
            agents.recordSafeWallet(order.agent(), order.walletId(), safe, coSigner, setup, by);
            Agent wallet = agents.find(order.agent(), order.walletId()).orElseThrow();
            return record(wallet, action, call, exact, decision, screening);
        });
        if (recorded.status() != RequestStatus.ALLOWED) {
            return new Created(order.walletId(), safe, setup, recorded);
        }
        Agent wallet = agents.find(order.agent(), order.walletId()).orElseThrow();
        return new Created(order.walletId(), safe, setup, submitter.submit(recorded, wallet));
    }

    /** The Safe as the chain holds it now. */
    public SafeOnChain.State onChain(Address safe) {
        return SafeOnChain.read(chain, safe);
    }

    private StoredRequest record(
            Agent wallet,
            TreasuryAction.SafeCreation action,
            ContractCall call,
            ExactSimulation.Result exact,
            Decision decision,
            ScreeningResult screening) {
        Instant now = clock.instant();
        Simulation simulation = exact.simulation();
        SimulatedEffects effects = simulation instanceof Simulation.Succeeded s ? s.effects() : SimulatedEffects.NONE;
        List<EffectView> effectViews =
                effects.effects().stream().map(EffectView::of).toList();
        RequestEvent.Decided decided = RequestEvent.Decided.treasury(
                RequestKind.TREASURY_SAFE_CREATION,
                wallet.id(),
                wallet.walletAddress(),
                Optional.of(screening.listVersion()),
                decision.verdict(),
                decision.reasons().stream().map(ReasonView::of).toList(),
                exact.fee());
        List<AuditLog.Entry> steps = new ArrayList<>();
        steps.add(new AuditLog.Entry(
                new RequestSteps.TreasuryActionRequested(
                        wallet.id(),
                        wallet.walletAddress(),
                        RequestKind.TREASURY_SAFE_CREATION.name(),
                        action.describe(),
                        new RequestSteps.Transaction(
                                call.to().toString(), call.value().units().toString(), Hex.encode(call.data()))),
                action.requestedBy()));
        steps.add(new AuditLog.Entry(RequestSteps.Simulated.of(simulation, effectViews), Actor.GUARDIAN));
        steps.add(new AuditLog.Entry(RequestSteps.Screened.of(screening), Actor.GUARDIAN));
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
                        exact.fee(),
                        List.of(),
                        now,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(Relayer.DEFAULT)),
                steps,
                decided,
                Optional.empty(),
                List.of());
    }

    private Asset.Erc20 usdc() {
        return assets.tokens().stream()
                .filter(t -> t instanceof Asset.Erc20 e && e.symbol().equals("USDC"))
                .map(t -> (Asset.Erc20) t)
                .findFirst()
                .orElseThrow(() -> new Refused("", "no USDC token is registered on this chain; the guard caps USDC"));
    }

    /** Whether the creation request has settled: the Safe exists once it is CONFIRMED. */
    public StoredRequest creation(UUID id) {
        return store.find(id).orElseThrow();
    }
}
