package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.SimulationOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the rules may look at for one request; nothing else reaches them. Immutable. The views
 * the rules share ({@link #charges()}, {@link #flow()}) are derived once, on first use.
 */
public final class Evaluation {
    private final AgentId agent;
    private final boolean agentFrozen;
    private final boolean allAgentsFrozen;
    private final Address wallet;
    private final Set<Address> otherWallets;
    private final WalletCall call;
    private final Optional<TransactionFee> fee;
    private final SimulationOutcome simulation;
    private final Optional<ScreeningResult> screening;
    private final Policy policy;
    private final SpendingState spending;
    private final Optional<TeamBudgets> team;
    private final SpendingState teamSpending;
    private final Instant now;
    private final Optional<SignatureTerms> signature;
    private final Optional<SafeTerms> safe;
    private ValueFlow flow;
    private Charges charges;

    /**
     * @param allAgentsFrozen whether the deployment-wide kill switch is engaged
     * @param otherWallets    the agent's wallets other than the one this request pays from
     * @param call            the call the wallet would make, exactly as it would be signed
     * @param fee             what it may cost in gas, as it would be signed (absent when judging a request
     *                        recorded before fees were judged)
     * @param simulation      what simulating the request showed; only a successful one has effects
     * @param screening       the screening of every touched address; absent when the simulation did not
     *                        succeed (nothing it would touch is known, and nothing moves)
     * @param spending        what the agent spent, reserved and holds as allowance exposure, as of now
     * @param team            the budgets of the agent's team, if it has one
     * @param teamSpending    what the whole team has spent or reserved (empty without a team)
     */
    public Evaluation(
            AgentId agent,
            boolean agentFrozen,
            boolean allAgentsFrozen,
            Address wallet,
            Set<Address> otherWallets,
            WalletCall call,
            Optional<TransactionFee> fee,
            SimulationOutcome simulation,
            Optional<ScreeningResult> screening,
            Policy policy,
            SpendingState spending,
            Optional<TeamBudgets> team,
            SpendingState teamSpending,
            Instant now) {
        this(
                agent,
                agentFrozen,
                allAgentsFrozen,
                wallet,
                otherWallets,
                call,
                fee,
                simulation,
                screening,
                policy,
                spending,
                team,
                teamSpending,
                now,
                Optional.empty());
    }

    /**
     * An evaluation of a typed-data signature when {@code signature} is present: {@code call} is then the
     * call the signature is equivalent to (the transfer or approval it authorises, as the wallet's own), and
     * {@code simulation} holds the effects read from the typed data itself.
     */
    public Evaluation(
            AgentId agent,
            boolean agentFrozen,
            boolean allAgentsFrozen,
            Address wallet,
            Set<Address> otherWallets,
            WalletCall call,
            Optional<TransactionFee> fee,
            SimulationOutcome simulation,
            Optional<ScreeningResult> screening,
            Policy policy,
            SpendingState spending,
            Optional<TeamBudgets> team,
            SpendingState teamSpending,
            Instant now,
            Optional<SignatureTerms> signature) {
        this(
                agent,
                agentFrozen,
                allAgentsFrozen,
                wallet,
                otherWallets,
                call,
                fee,
                simulation,
                screening,
                policy,
                spending,
                team,
                teamSpending,
                now,
                signature,
                Optional.empty());
    }

    /**
     * An evaluation of a co-signed Safe's transaction when {@code safe} is present: {@code wallet} is the Safe,
     * {@code call} the call the Safe makes (one entry of a MultiSendCallOnly batch), {@code fee} what the
     * relayer's {@code execTransaction} costs, charged to the agent, and {@code simulation} the effects of that
     * {@code execTransaction} as the Safe sees them.
     */
    public Evaluation(
            AgentId agent,
            boolean agentFrozen,
            boolean allAgentsFrozen,
            Address wallet,
            Set<Address> otherWallets,
            WalletCall call,
            Optional<TransactionFee> fee,
            SimulationOutcome simulation,
            Optional<ScreeningResult> screening,
            Policy policy,
            SpendingState spending,
            Optional<TeamBudgets> team,
            SpendingState teamSpending,
            Instant now,
            Optional<SignatureTerms> signature,
            Optional<SafeTerms> safe) {
        this.signature = Objects.requireNonNull(signature, "signature");
        this.safe = Objects.requireNonNull(safe, "safe");
        if (signature.isPresent() && safe.isPresent()) {
            throw new IllegalArgumentException("a request is a typed-data signature or a Safe transaction, not both");
        }
        this.agent = Objects.requireNonNull(agent, "agent");
        this.agentFrozen = agentFrozen;
        this.allAgentsFrozen = allAgentsFrozen;
        this.wallet = Objects.requireNonNull(wallet, "wallet");
        this.otherWallets = Set.copyOf(otherWallets);
        this.call = Objects.requireNonNull(call, "call");
        this.fee = Objects.requireNonNull(fee, "fee");
        this.simulation = Objects.requireNonNull(simulation, "simulation");
        this.screening = Objects.requireNonNull(screening, "screening");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.spending = Objects.requireNonNull(spending, "spending");
        this.team = Objects.requireNonNull(team, "team");
        this.teamSpending = Objects.requireNonNull(teamSpending, "teamSpending");
        this.now = Objects.requireNonNull(now, "now");
        if (otherWallets.contains(wallet)) {
            throw new IllegalArgumentException("the paying wallet is not one of the agent's other wallets");
        }
        if (simulation instanceof SimulationOutcome.Succeeded && screening.isEmpty()) {
            throw new IllegalArgumentException("what a successful simulation touches is screened before it is judged");
        }
    }

    public AgentId agent() {
        return agent;
    }

    public boolean agentFrozen() {
        return agentFrozen;
    }

    public boolean allAgentsFrozen() {
        return allAgentsFrozen;
    }

    public Address wallet() {
        return wallet;
    }

    public Set<Address> otherWallets() {
        return otherWallets;
    }

    public WalletCall call() {
        return call;
    }

    /**
     * Every call the request amounts to: its call, and for a typed-data signature equivalent to several (a
     * Permit2 batch) the further ones, in order.
     */
    public List<WalletCall> calls() {
        if (signature.isEmpty() || signature.get().furtherCalls().isEmpty()) {
            return List.of(call);
        }
        List<WalletCall> all = new ArrayList<>();
        all.add(call);
        all.addAll(signature.get().furtherCalls());
        return List.copyOf(all);
    }

    public Optional<TransactionFee> fee() {
        return fee;
    }

    public SimulationOutcome simulation() {
        return simulation;
    }

    public Optional<ScreeningResult> screening() {
        return screening;
    }

    public Policy policy() {
        return policy;
    }

    public SpendingState spending() {
        return spending;
    }

    public Optional<TeamBudgets> team() {
        return team;
    }

    public SpendingState teamSpending() {
        return teamSpending;
    }

    public Instant now() {
        return now;
    }

    /** The terms of the typed data being judged; empty for a transaction. */
    public Optional<SignatureTerms> signature() {
        return signature;
    }

    /** What the Safe's hard rules read of a Safe transaction; empty for any other request. */
    public Optional<SafeTerms> safe() {
        return safe;
    }

    /** The effects the rules judge: the successful simulation's, or none. */
    public SimulatedEffects effects() {
        return simulation.effects();
    }

    /** Where the wallet's value goes in this call, hop after hop. */
    public synchronized ValueFlow flow() {
        if (flow == null) {
            flow = ValueFlow.of(effects().effects(), wallet);
        }
        return flow;
    }

    /** What this request adds against the limits: outflow and new allowance exposure, per asset and counterparty. */
    public synchronized Charges charges() {
        if (charges == null) {
            Map<Charges.AllowanceKey, TokenAmount> held = new LinkedHashMap<>();
            for (SpendingState.HeldExposure exposure : spending.exposures()) {
                held.merge(
                        new Charges.AllowanceKey(exposure.amount().asset(), exposure.spender(), exposure.kind()),
                        exposure.amount(),
                        Charges::saturating);
            }
            charges = Charges.of(effects().effects(), wallet, held, flow().receivedOnward());
        }
        return charges;
    }

    /** What this request adds against budgets, caps and the quorum, per asset. */
    public Map<Asset, TokenAmount> charged() {
        return charges().total();
    }
}
