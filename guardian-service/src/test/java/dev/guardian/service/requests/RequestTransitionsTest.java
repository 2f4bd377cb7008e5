package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.TestDatabase;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one writer of a request's state, against a real PostgreSQL: compare-and-set on the expected state,
 * a lost race that changes nothing, illegal events refused, and reservations that are posted or voided
 * but never edited.
 */
class RequestTransitionsTest {
    private static final Asset.Erc20 USDC =
            new Asset.Erc20(Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), "USDC", 6);
    private static final AssetRegistry ASSETS = new AssetRegistry(Asset.ether(), List.of(USDC));
    private static final AgentId AGENT = new AgentId("ledger-bot");
    private static final WalletId WALLET_ID = new WalletId("ledger-bot-wallet");
    private static final Address WALLET = Address.parse("0x00000000000000000000000000000000000000a1");
    private static final Address MERCHANT = Address.parse("0x00000000000000000000000000000000000000b2");
    private static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");

    private static TestDatabase database;
    private static TransactionTemplate transactions;
    private static RequestStore store;
    private static Reservations reservations;
    private static RequestTransitions transitions;
    private static final List<StoredRequest> announced = new ArrayList<>();

    @BeforeAll
    static void start() {
        database = TestDatabase.start();
        transactions = database.transactions();
        JdbcClient jdbc = database.jdbc();
        JsonMapper json = JsonMapper.builder().build();
        AuditLog audit = database.auditLog(100);
        store = new RequestStore(jdbc, json);
        reservations = new Reservations(jdbc, ASSETS);
        transitions = new RequestTransitions(jdbc, json, store, reservations, audit, ASSETS, announced::add);
        database.ownerJdbc()
                .sql("insert into agents (id, name, frozen, created_at) values (:id, 'Ledger', false, now())")
                .param("id", AGENT.value())
                .update();
        database.ownerJdbc()
                .sql("insert into wallets (id, agent_id, address, sealed_key) values (:id, :agent, :address, :key)")
                .param("id", WALLET_ID.value())
                .param("agent", AGENT.value())
                .param("address", WALLET.toBytes())
                .param("key", new byte[40])
                .update();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(USDC, amount);
    }

    private static StoredRequest allowed(String amount) {
        TokenAmount units = usdc(amount);
        return transactions.execute(tx -> transitions.record(
                new RequestTransitions.NewRequest(
                        UUID.randomUUID(),
                        AGENT,
                        WALLET_ID,
                        Optional.empty(),
                        new AgentRequest.Payment(MERCHANT, units),
                        USDC.contract(),
                        BigInteger.ZERO,
                        new byte[] {1},
                        List.of(EffectView.of(new Transfer(units, WALLET, MERCHANT))),
                        Optional.empty(),
                        List.of(),
                        AT),
                List.of(),
                new RequestEvent.Decided(
                        AGENT,
                        WALLET,
                        Optional.empty(),
                        "v1",
                        Optional.empty(),
                        Verdict.ALLOW,
                        List.of(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("USDC", units.units().toString()),
                        Optional.empty()),
                Optional.empty(),
                List.of(Reservations.Line.outflow(units, MERCHANT))));
    }

    private static RequestTransitions.Result apply(StoredRequest current, RequestEvent event) {
        return transactions.execute(tx -> transitions.apply(current, event, Actor.GUARDIAN, AT.plusSeconds(1)));
    }

    /** Nonces no other test of the class signs with (a wallet's nonce is signed once). */
    private static final AtomicLong UNUSED_NONCES = new AtomicLong(1_000);

    private static RequestEvent.Signed signed(long nonce) {
        // Each signed transaction has its own hash, as on chain (the column is unique).
        byte[] hash = new byte[32];
        ThreadLocalRandom.current().nextBytes(hash);
        return new RequestEvent.Signed(
                WALLET, nonce, TxHash.of(hash), 60_000, BigInteger.TWO, BigInteger.ONE, new byte[] {2});
    }

    @Test
    void aDecisionIsRecordedWithItsPendingReservationAndItsAuditRecord() {
        StoredRequest request = allowed("10");

        assertThat(request.status()).isEqualTo(RequestStatus.ALLOWED);
        assertThat(reservations.ofRequest(request.id())).singleElement().satisfies(r -> {
            assertThat(r.isPending()).isTrue();
            assertThat(r.amount()).isEqualTo(usdc("10"));
            assertThat(r.counterparty()).contains(MERCHANT);
        });
        assertThat(auditEvents(request.id())).containsExactly("decision");
        assertThat(announced).extracting(StoredRequest::id).contains(request.id());
    }

    @Test
    void aTransitionMovesTheRowRecordsTheEventAndSettlesTheReservation() {
        StoredRequest request = allowed("10");
        StoredRequest signedRequest = apply(request, signed(0)).request();
        StoredRequest submitted = apply(
                        signedRequest, new RequestEvent.Submitted(TxHash.of(new byte[32]), 0, Optional.empty()))
                .request();

        RequestTransitions.Result confirmed = apply(
                submitted,
                new RequestEvent.Confirmed(
                        submitted.txHash().orElseThrow(), 42, 50_000, BigInteger.ONE, request.effects()));

        assertThat(confirmed.applied()).isTrue();
        assertThat(confirmed.request().status()).isEqualTo(RequestStatus.CONFIRMED);
        assertThat(confirmed.request().blockNumber()).contains(42L);
        assertThat(confirmed.request().nonce()).contains(0L);
        assertThat(reservations.ofRequest(request.id())).singleElement().satisfies(r -> {
            assertThat(r.outcome()).hasValueSatisfying(o -> assertThat(o.kind()).isEqualTo(Reservation.Kind.POSTED));
            assertThat(r.counted()).isEqualTo(usdc("10"));
        });
        assertThat(auditEvents(request.id())).containsExactly("decision", "signed", "submitted", "confirmed");
    }

    @Test
    void aConfirmationPostsWhatReallyLeftWhenThatIsLessThanWasJudged() {
        StoredRequest request = allowed("10");
        StoredRequest submitted = apply(
                        apply(request, signed(UNUSED_NONCES.getAndIncrement())).request(), submittedEvent())
                .request();
        List<EffectView> executed = List.of(EffectView.of(new Transfer(usdc("7"), WALLET, MERCHANT)));

        apply(
                submitted,
                new RequestEvent.Confirmed(submitted.txHash().orElseThrow(), 43, 50_000, BigInteger.ONE, executed));

        assertThat(reservations.ofRequest(request.id()))
                .singleElement()
                .satisfies(r -> assertThat(r.counted()).isEqualTo(usdc("7")));
        assertThat(store.find(request.id()).orElseThrow().executedEffects()).contains(executed);
    }

    @Test
    void aDivergenceVoidsWhatWasJudgedAndChargesWhatReallyLeft() {
        StoredRequest request = allowed("10");
        StoredRequest submitted = apply(
                        apply(request, signed(UNUSED_NONCES.getAndIncrement())).request(), submittedEvent())
                .request();
        Address thief = Address.parseLenient("0x0000000000000000000000000000000000000bad");
        List<EffectView> executed = List.of(EffectView.of(new Transfer(usdc("25"), WALLET, thief)));

        RequestTransitions.Result diverged = apply(
                submitted,
                new RequestEvent.Diverged(
                        AGENT,
                        WALLET,
                        submitted.txHash().orElseThrow(),
                        44,
                        50_000,
                        BigInteger.ONE,
                        request.effects(),
                        executed,
                        List.of("25 USDC moved to " + thief + "; no such movement was judged")));

        assertThat(diverged.request().status()).isEqualTo(RequestStatus.DIVERGED);
        assertThat(diverged.request().divergence()).singleElement().asString().contains("no such movement");
        assertThat(reservations.ofRequest(request.id()))
                .satisfiesExactly(
                        judged -> {
                            assertThat(judged.counterparty()).contains(MERCHANT);
                            assertThat(judged.outcome())
                                    .hasValueSatisfying(
                                            o -> assertThat(o.kind()).isEqualTo(Reservation.Kind.VOIDED));
                        },
                        charged -> {
                            assertThat(charged.counterparty()).contains(thief);
                            assertThat(charged.counted()).isEqualTo(usdc("25"));
                            assertThat(charged.outcome())
                                    .hasValueSatisfying(
                                            o -> assertThat(o.kind()).isEqualTo(Reservation.Kind.POSTED));
                        });
        assertThat(auditEvents(request.id())).containsExactly("decision", "signed", "submitted", "diverged");
    }

    private static RequestEvent.Submitted submittedEvent() {
        return new RequestEvent.Submitted(TxHash.of(new byte[32]), 0, Optional.empty());
    }

    @Test
    void aTransitionFromAStateTheRowHasLeftIsALostRaceAndChangesNothing() {
        StoredRequest request = allowed("5");
        StoredRequest failed = apply(request, new RequestEvent.SigningFailed("agent was frozen"))
                .request();

        // The caller still holds the ALLOWED row it read before another instance failed the request.
        RequestTransitions.Result late = apply(request, signed(1));

        assertThat(late).isInstanceOfSatisfying(RequestTransitions.Result.LostRace.class, race -> {
            assertThat(race.expected()).isEqualTo(RequestStatus.ALLOWED);
            assertThat(race.request().status()).isEqualTo(RequestStatus.FAILED);
        });
        assertThat(store.find(request.id()).orElseThrow().nonce()).isEmpty();
        assertThat(failed.failure()).contains("agent was frozen");
        assertThat(auditEvents(request.id())).containsExactly("decision", "failed");
        assertThat(reservations.ofRequest(request.id()))
                .singleElement()
                .satisfies(r -> assertThat(r.outcome())
                        .hasValueSatisfying(o -> assertThat(o.kind()).isEqualTo(Reservation.Kind.VOIDED)));
    }

    @Test
    void ofManyConcurrentTransitionsFromOneStateExactlyOneApplies() throws Exception {
        StoredRequest request = allowed("3");
        List<RequestTransitions.Result> results =
                Concurrently.run(8, i -> apply(request, new RequestEvent.SigningFailed("try " + i)));

        assertThat(results.stream().filter(RequestTransitions.Result::applied)).hasSize(1);
        assertThat(results.stream().filter(r -> r instanceof RequestTransitions.Result.LostRace))
                .hasSize(7);
        assertThat(auditEvents(request.id())).containsExactly("decision", "failed");
        assertThat(reservations.ofRequest(request.id())).hasSize(1);
    }

    @Test
    void anEventTheTableDoesNotAllowIsRefusedAsAValueAndChangesNothing() {
        StoredRequest request = allowed("2");

        RequestTransitions.Result result =
                apply(request, new RequestEvent.Confirmed(TxHash.of(new byte[32]), 1, 1, BigInteger.ONE, List.of()));

        assertThat(result)
                .isInstanceOfSatisfying(
                        RequestTransitions.Result.Illegal.class,
                        illegal -> assertThat(illegal.transition().why())
                                .contains("CONFIRMED cannot happen to a request that is ALLOWED"));
        assertThat(store.find(request.id()).orElseThrow().status()).isEqualTo(RequestStatus.ALLOWED);
        assertThat(auditEvents(request.id())).containsExactly("decision");
        assertThat(reservations.ofRequest(request.id()))
                .singleElement()
                .satisfies(r -> assertThat(r.isPending()).isTrue());
    }

    @Test
    void theDatabaseRefusesToEditOrDeleteAReservationOrItsOutcome() {
        StoredRequest request = allowed("4");
        apply(request, new RequestEvent.SigningFailed("stop"));
        JdbcClient app = database.jdbc();

        assertThatThrownBy(() -> app.sql("update reservations set units = 1 where request_id = :id")
                        .param("id", request.id())
                        .update())
                .isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> app.sql("delete from reservation_outcomes").update())
                .isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> database.ownerJdbc()
                        .sql("update reservation_outcomes set outcome = 'POSTED', posted_units = pending_units")
                        .update())
                .as("not even the owner")
                .rootCause()
                .hasMessageContaining("append-only");
    }

    @Test
    void theDatabaseRefusesAPostingAboveThePendingAmountAndASecondOutcome() {
        StoredRequest request = allowed("1");
        long id = reservations.ofRequest(request.id()).getFirst().id();
        JdbcClient app = database.jdbc();
        String insert = """
                insert into reservation_outcomes (reservation_id, pending_units, outcome, posted_units, settled_at)
                values (:id, :pending, 'POSTED', :posted, now())
                """;

        assertThatThrownBy(() -> app.sql(insert)
                        .param("id", id)
                        .param("pending", 1_000_000)
                        .param("posted", 1_000_001)
                        .update())
                .isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> app.sql(insert)
                        .param("id", id)
                        .param("pending", 2_000_000)
                        .param("posted", 1_500_000)
                        .update())
                .as("the pending amount is the reservation's own")
                .isInstanceOf(DataAccessException.class);
        transactions.executeWithoutResult(tx -> reservations.voidPending(request.id(), AT));
        assertThatThrownBy(() -> app.sql(insert)
                        .param("id", id)
                        .param("pending", 1_000_000)
                        .param("posted", 1_000_000)
                        .update())
                .as("settled once")
                .isInstanceOf(DataAccessException.class);
    }

    @Test
    void renewingVoidsThePendingReservationAndHoldsANewOneThatNamesIt() {
        StoredRequest request = allowed("6");
        Instant approvedAt = AT.plusSeconds(3600);

        transactions.executeWithoutResult(tx -> reservations.renew(request.id(), AGENT, Optional.empty(), approvedAt));

        List<Reservation> all = reservations.ofRequest(request.id());
        assertThat(all).hasSize(2);
        assertThat(all.get(0).outcome())
                .hasValueSatisfying(o -> assertThat(o.kind()).isEqualTo(Reservation.Kind.VOIDED));
        assertThat(all.get(1).replaces()).contains(all.get(0).id());
        assertThat(all.get(1).isPending()).isTrue();
        assertThat(all.get(1).reservedAt()).isEqualTo(approvedAt);
        assertThat(all.get(1).amount()).isEqualTo(all.get(0).amount());
        assertThat(reservations.agentReservationsSince(AGENT, AT, Optional.empty()).stream()
                        .filter(r -> r.requestId().equals(Optional.of(request.id()))))
                .as("counted once, as its renewal")
                .hasSize(1);
    }

    private static List<String> auditEvents(UUID request) {
        return database.jdbc()
                .sql("select event from audit_log where request_id = :id order by seq")
                .param("id", request)
                .query(String.class)
                .list();
    }
}
