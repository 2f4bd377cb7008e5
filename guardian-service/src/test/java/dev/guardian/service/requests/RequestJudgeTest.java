package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.ContractEntry;
import dev.guardian.policy.rules.ContractRules;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.PolicyEngine;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.policy.rules.SpendingState;
import dev.guardian.policy.rules.TeamBudgets;
import dev.guardian.policy.rules.WindowBudget;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.SealedKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The judge reads what a decision needs, and adds nothing of its own: every reason comes from the
 * engine's rules. No database, no chain: the facts are kept in memory here.
 */
class RequestJudgeTest {
    private static final Asset.Erc20 USDC =
            new Asset.Erc20(Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), "USDC", 6);
    private static final AssetRegistry ASSETS = new AssetRegistry(Asset.ether(), List.of(USDC));
    private static final SealedKey KEY = new KeyVault(KeyEncryptionKey.generate()).generate();
    private static final Address WALLET = KEY.address();
    private static final Address SISTER = Address.parse("0x00000000000000000000000000000000000000b2");
    private static final Address MERCHANT = Address.parse("0x00000000000000000000000000000000000000c3");
    private static final Address SANCTIONED = Address.parse("0x00000000000000000000000000000000000000d4");
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Policy POLICY = new Policy(
                    "v3",
                    Map.of(USDC, usdc("100")),
                    List.of(new WindowBudget(usdc("500"), Duration.ofHours(24))),
                    Map.of(MERCHANT, "merchant"))
            .withContracts(new ContractRules(Map.of(USDC.contract(), ContractEntry.erc20("USDC")), Verdict.ESCALATE));

    private final FakeFacts facts = new FakeFacts();
    private final RequestJudge judge = new RequestJudge(facts, new PolicyEngine(), ASSETS);

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(USDC, amount);
    }

    private static Agent agent(boolean frozen, Optional<String> team, Set<Address> wallets) {
        Set<Address> all = new HashSet<>(wallets);
        all.add(WALLET);
        return new Agent(new AgentId("bot"), "Bot", frozen, team, new WalletId("bot-wallet"), WALLET, KEY, all);
    }

    private static Agent agent() {
        return agent(false, Optional.empty(), Set.of());
    }

    private static ContractCall call() {
        // The judge weighs the simulated effects each test gives, not this calldata; its selector is the
        // token's transfer, which the contract allowlist lets through.
        return new ContractCall(
                WALLET, USDC.contract(), TokenAmount.zero(Asset.ether()), Calldata.transfer(MERCHANT, usdc("1")));
    }

    private static Simulation paying(TokenAmount amount, Address to) {
        return new Simulation.Succeeded(
                new SimulatedEffects(List.of(new Transfer(amount, WALLET, to)), Set.of(USDC.contract())), 50_000);
    }

    @Test
    void aPaymentWithinItsLimitsIsAllowedAfterScreeningEverythingItTouches() {
        RequestJudge.Judgement judgement =
                judge.judge(agent(), call(), paying(usdc("10"), MERCHANT), Optional.empty(), NOW, Optional.empty());

        assertThat(judgement.decision()).isInstanceOf(Decision.Allow.class);
        assertThat(judgement.policy().version()).isEqualTo("v3");
        assertThat(facts.screened).containsExactlyInAnyOrder(WALLET, MERCHANT, USDC.contract());
        assertThat(facts.spendingReads).containsExactly("agent bot since " + NOW.minus(Duration.ofHours(24)));
    }

    @Test
    void whatWasSpentCountsAgainstTheBudget() {
        facts.spent.add(new SpendingState.Spend(usdc("450"), NOW.minus(Duration.ofHours(1))));

        Decision decision = judge.judge(
                        agent(), call(), paying(usdc("60"), MERCHANT), Optional.empty(), NOW, Optional.empty())
                .decision();

        assertThat(decision.reasons()).extracting(Reason::rule).containsExactly(RuleId.WINDOW_BUDGET);
    }

    @Test
    void aRecheckLeavesTheRequestsOwnReservationOut() {
        UUID own = UUID.randomUUID();

        judge.judge(agent(), call(), paying(usdc("10"), MERCHANT), Optional.empty(), NOW, Optional.of(own));

        assertThat(facts.excluded).containsExactly(Optional.of(own));
    }

    @Test
    void aRevertingCallIsDeniedByItsRuleWithoutScreeningOrReadingSpending() {
        Decision decision = judge.judge(
                        agent(), call(), new Simulation.Reverted("out of gas"), Optional.empty(), NOW, Optional.empty())
                .decision();

        assertThat(decision.reasons()).extracting(Reason::rule).containsExactly(RuleId.SIMULATION_REVERTED);
        assertThat(facts.screened).isEmpty();
        assertThat(facts.spendingReads).isEmpty();
        assertThat(facts.killSwitchReads)
                .as("the kill switch is read whatever the simulation")
                .isEqualTo(1);
    }

    @Test
    void aFrozenAgentWhoseCallRevertsIsToldBothInTheEnginesOwnWords() {
        facts.killSwitch = true;

        Decision decision = judge.judge(
                        agent(true, Optional.empty(), Set.of()),
                        call(),
                        new Simulation.Reverted("out of gas"),
                        Optional.empty(),
                        NOW,
                        Optional.empty())
                .decision();

        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .containsExactly(RuleId.ALL_AGENTS_FROZEN, RuleId.AGENT_FROZEN, RuleId.SIMULATION_REVERTED);
        assertThat(decision.reasons().get(1).message()).contains("nothing is signed until the treasury unfreezes it");
    }

    @Test
    void effectsThatCannotBeTotalledAreDeniedAsUndecodableAndNotWeighed() {
        Simulation overflowing = new Simulation.Succeeded(
                new SimulatedEffects(
                        List.of(
                                new Transfer(new TokenAmount(USDC, TokenAmount.MAX_UINT256), WALLET, MERCHANT),
                                new Transfer(usdc("1"), WALLET, MERCHANT)),
                        Set.of()),
                1);

        RequestJudge.Judgement judgement =
                judge.judge(agent(), call(), overflowing, Optional.empty(), NOW, Optional.empty());

        assertThat(judgement.decision().reasons())
                .extracting(Reason::rule)
                .containsExactly(RuleId.SIMULATION_UNDECODABLE);
        assertThat(judgement.effects().effects()).isEmpty();
        assertThat(facts.spendingReads).isEmpty();
    }

    @Test
    void aPullFromAnotherWalletOfTheAgentIsDenied() {
        Simulation pull = new Simulation.Succeeded(
                new SimulatedEffects(List.of(new Transfer(usdc("5"), SISTER, MERCHANT)), Set.of()), 1);

        Decision decision = judge.judge(
                        agent(false, Optional.empty(), Set.of(SISTER)),
                        call(),
                        pull,
                        Optional.empty(),
                        NOW,
                        Optional.empty())
                .decision();

        assertThat(decision.reasons()).extracting(Reason::rule).containsExactly(RuleId.OTHER_WALLET_MOVED);
    }

    @Test
    void aSanctionedRecipientIsDeniedThoughNoLimitIsReached() {
        facts.sanctioned.add(SANCTIONED);

        Decision decision = judge.judge(
                        agent(), call(), paying(usdc("1"), SANCTIONED), Optional.empty(), NOW, Optional.empty())
                .decision();

        assertThat(decision.reasons())
                .extracting(Reason::rule)
                .containsExactlyInAnyOrder(RuleId.SANCTIONS_HIT, RuleId.COUNTERPARTY_NOT_ALLOWLISTED);
        assertThat(decision).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void aTeamsLockIsTakenBeforeItsSpendingIsReadWhenDeciding() {
        facts.teams.put("ops", new TeamBudgets("ops", 2, List.of(new WindowBudget(usdc("100"), Duration.ofHours(24)))));
        facts.teamSpent.add(new SpendingState.Spend(usdc("95"), NOW.minus(Duration.ofHours(2))));

        RequestJudge.Judgement judgement = judge.judge(
                agent(false, Optional.of("ops"), Set.of()),
                call(),
                paying(usdc("10"), MERCHANT),
                Optional.empty(),
                NOW,
                Optional.empty());

        assertThat(judgement.team())
                .hasValueSatisfying(t -> assertThat(t.version()).isEqualTo(2));
        assertThat(judgement.decision().reasons()).extracting(Reason::rule).containsExactly(RuleId.TEAM_BUDGET);
        assertThat(facts.teamCalls).containsExactly("lock ops", "read ops");
    }

    @Test
    void aDryRunJudgesTheDraftAndLocksNothing() {
        facts.teams.put("ops", new TeamBudgets("ops", 1, List.of()));
        Policy draft = new Policy("draft", Map.of(USDC, usdc("5")), List.of(), Map.of(MERCHANT, "merchant"))
                .withContracts(POLICY.contracts());

        RequestJudge.Judgement judgement = judge.judgeWith(
                draft,
                agent(false, Optional.of("ops"), Set.of()),
                call(),
                paying(usdc("10"), MERCHANT),
                Optional.empty(),
                NOW);

        assertThat(judgement.policy().version()).isEqualTo("draft");
        assertThat(judgement.decision().reasons()).extracting(Reason::rule).containsExactly(RuleId.PER_TRANSACTION_CAP);
        assertThat(facts.teamCalls).containsExactly("read ops");
    }

    /** The facts in memory, noting what the judge read. */
    private static final class FakeFacts implements RequestJudge.Facts {
        final Set<Address> sanctioned = new HashSet<>();
        final List<SpendingState.Spend> spent = new ArrayList<>();
        final List<SpendingState.Spend> teamSpent = new ArrayList<>();
        final Map<String, TeamBudgets> teams = new HashMap<>();
        final Set<Address> screened = new HashSet<>();
        final List<String> spendingReads = new ArrayList<>();
        final List<Optional<UUID>> excluded = new ArrayList<>();
        final List<String> teamCalls = new ArrayList<>();
        boolean killSwitch;
        int killSwitchReads;

        @Override
        public Policy activePolicy(AgentId agent) {
            return POLICY;
        }

        @Override
        public Optional<TeamBudgets> teamBudgets(String team) {
            return Optional.ofNullable(teams.get(team));
        }

        @Override
        public boolean killSwitchEngaged() {
            killSwitchReads++;
            return killSwitch;
        }

        @Override
        public ScreeningResult screen(Set<Address> touched) {
            screened.addAll(touched);
            Set<Address> hits = new HashSet<>(touched);
            hits.retainAll(sanctioned);
            return new ScreeningResult(touched, hits, "test list");
        }

        @Override
        public SpendingState spending(
                AgentId agent,
                Optional<Instant> budgetsSince,
                Optional<Instant> counterpartiesSince,
                Optional<Instant> feesSince,
                Optional<Instant> transactionsSince,
                Optional<Instant> revertsSince,
                Optional<UUID> excluding) {
            spendingReads.add(
                    "agent " + agent + budgetsSince.map(s -> " since " + s).orElse(""));
            excluded.add(excluding);
            return new SpendingState(spent);
        }

        @Override
        public void lockTeam(String team) {
            teamCalls.add("lock " + team);
        }

        @Override
        public SpendingState teamSpending(String team, Instant since, Optional<UUID> excluding) {
            teamCalls.add("read " + team);
            return new SpendingState(teamSpent);
        }
    }
}
