package dev.guardian.service.safe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.signatures.TypedDataJson;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.Signer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The attacker review's findings on co-signed Safes, each on Anvil with the real Safe 1.4.1 contracts and
 * GuardianSafeGuard and read back from the chain: an agent proposing several Safe transactions for one Safe nonce
 * (in parallel, or while the first waits for people) gets one through and 409 for the rest, so the relayer never
 * pays for the K-1 that would revert (M2); the same Safe transaction under a second Idempotency-Key is 409, not
 * a 500 from the database (L2); the agent never reads the co-signed execTransaction back (H1); and a relayer that
 * cannot pay the gas is a denial before anything is co-signed or sent (M2 b). The harness is SafeWalletsTest's.
 */
class SafeProposalRacesTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String CONFLICT = "https://guardian.dev/problems/conflict/";

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Address SHOP = TestAddresses.fresh();
    private static final PersonSpec TREASURER = PersonSpec.person("race-treasurer", Role.TREASURY);
    private static final PersonSpec APPROVER = PersonSpec.person("race-approver", Role.APPROVER);

    private static GuardianInstance guardian;
    private static DevChain chain;
    private static ChainAdapter adapter;
    private static Address usdc;
    private static SafeGuardContracts guard;
    private static Address agentKey;
    private static AgentClient agent;
    private static Address safe;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        SafeContracts contracts = chain.deploySafeContracts();
        guard = chain.deploySafeGuard();
        agentKey = chain.devAccounts().get(1);
        Address treasuryKey = chain.devAccounts().get(2);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .property("guardian.safe.singleton", contracts.singleton())
                .property("guardian.safe.proxy-factory", contracts.proxyFactory())
                .property("guardian.safe.fallback-handler", contracts.fallbackHandler())
                .property("guardian.safe.multi-send-call-only", contracts.multiSendCallOnly())
                .property("guardian.safe.guard", guard.guard())
                .property("guardian.safe.guard-setup", guard.guardSetup())
                .person(TREASURER)
                .person(APPROVER)
                .start();
        adapter = guardian.bean(ChainAdapter.class);
        chain.setEthBalance(guardian.relayer(), TokenAmount.parse(Asset.ether(), "10"));
        Treasury desk = new Treasury(guardian, TREASURER, chain);
        agent = desk.createAgent("race-agent", """
                {"perTransaction": {"USDC": {"escalateAbove": "100"}},
                 "budgets": [{"asset": "USDC", "limit": "900", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Shop"}]}""".formatted(SHOP));
        AgentClient.Response answer = desk.client()
                .post("/v1/agents/race-agent/safe-wallets", """
                        {"walletId": "race-safe", "agentOwner": "%s", "treasuryOwners": ["%s"],
                         "usdcCapPerWindow": "800", "windowSeconds": "86400"}""".formatted(agentKey, treasuryKey), Optional.empty());
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(201);
        safe = Address.parse(answer.body().get("address").stringValue());
        chain.mintUsdc(usdc, safe, usdc("600"));
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static BigInteger safeNonce() {
        return SafeOnChain.read(adapter, safe).nonce();
    }

    private static SafeTransaction payShop(String amount) {
        return SafeTransaction.call(
                usdc,
                TokenAmount.zero(Asset.ether()),
                Calldata.transfer(SHOP, usdc(amount)),
                SafeTransaction.Operation.CALL,
                safeNonce());
    }

    private static byte[] agentSigns(SafeTransaction tx) {
        return chain.signTypedDataAs(
                agentKey, TypedDataJson.of(SafeTransactions.typedData(safe, adapter.chainId(), tx)));
    }

    private static AgentClient.Response propose(SafeTransaction tx, byte[] signature, String idempotencyKey) {
        String json = """
                {"walletId": "race-safe", "to": "%s", "value": "%s", "data": "%s", "operation": "%s",
                 "nonce": "%s", "signature": "%s"}""".formatted(
                        tx.to(),
                        tx.value().toDecimalString(),
                        Hex.encode(tx.data()),
                        tx.operation().name(),
                        tx.nonce(),
                        Hex.encode(signature));
        return agent.post("/v1/safe-transactions", json, Optional.of(idempotencyKey));
    }

    private static AgentClient.Response propose(SafeTransaction tx, byte[] signature) {
        return propose(tx, signature, "race-" + Hex.encode(Keccak256.hash(signature)));
    }

    private static List<String> ruleIds(AgentClient.Response answer) {
        List<String> ids = new ArrayList<>();
        answer.body().get("reasons").forEach(r -> ids.add(r.get("ruleId").stringValue()));
        return ids;
    }

    private static void assertConflict(AgentClient.Response answer, String problem, String existing) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.text("type")).isEqualTo(CONFLICT + problem);
        assertThat(answer.text("existingRequestId")).isEqualTo(existing);
    }

    @Test
    void aSecondProposalForANonceHeldByAnEscalatedOne_is409_andTheSameOneUnderAnotherKeyToo() {
        TokenAmount shopBefore = chain.usdcBalance(usdc, SHOP);
        TokenAmount safeBefore = chain.usdcBalance(usdc, safe);
        BigInteger nonce = safeNonce();
        SafeTransaction large = payShop("150");
        byte[] largeSignature = agentSigns(large);
        AgentClient.Response first = propose(large, largeSignature);
        assertThat(first.status()).as(first.raw().body()).isEqualTo(202);
        assertThat(first.text("status")).isEqualTo("PENDING_APPROVAL");

        // While people decide, a small payment for the same nonce would be allowed and relayed at once; the
        // approved first one would then revert on the relayer's gas. Refused instead, nothing recorded.
        SafeTransaction small = payShop("5");
        assertConflict(propose(small, agentSigns(small)), "safe-nonce-in-use", first.text("id"));
        // The same Safe transaction under another key: a conflict, not a 500 from requests_one_per_safe_tx.
        assertConflict(
                propose(large, largeSignature, "another-key-for-the-same-safe-tx"),
                "safe-transaction-already-proposed",
                first.text("id"));
        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(shopBefore);
        assertThat(safeNonce()).isEqualTo(nonce);

        // The first one still goes through once approved, and then the Safe's next nonce is free.
        AgentClient.Response approved = guardian.client(APPROVER)
                .post("/v1/approvals/" + first.text("id") + "/approve", "{\"comment\":\"ok\"}", Optional.empty());
        assertThat(approved.status()).as(approved.raw().body()).isIn(200, 202);
        AgentClient.Response done = agent.awaitStatus(first.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("CONFIRMED");
        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(shopBefore.plus(usdc("150")));
        assertThat(chain.usdcBalance(usdc, safe)).isEqualTo(safeBefore.minus(usdc("150")));
        assertThat(safeNonce()).isEqualTo(nonce.add(BigInteger.ONE));
        SafeTransaction next = payShop("5");
        AgentClient.Response after = propose(next, agentSigns(next));
        assertThat(after.status()).as(after.raw().body()).isEqualTo(202);
        assertThat(agent.awaitStatus(after.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
    }

    @Test
    void kProposalsInParallelForOneNonceWhileNothingIsMined_onlyOneIsRelayed() throws Exception {
        int k = 4;
        BigInteger nonce = safeNonce();
        TokenAmount shopBefore = chain.usdcBalance(usdc, SHOP);
        long relayerBefore = adapter.pendingNonce(guardian.relayer());
        List<SafeTransaction> txs = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 1; i <= k; i++) {
            SafeTransaction tx = payShop(Integer.toString(i));
            txs.add(tx);
            signatures.add(agentSigns(tx));
        }
        List<AgentClient.Response> answers = new ArrayList<>();
        chain.setAutomine(false);
        ExecutorService pool = Executors.newFixedThreadPool(k);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<AgentClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return propose(txs.get(n), signatures.get(n));
                }));
            }
            go.countDown();
            for (Future<AgentClient.Response> f : futures) {
                answers.add(f.get());
            }
            // Nothing is mined yet: each relayed transaction would be in the relayer's pending nonce.
            assertThat(adapter.pendingNonce(guardian.relayer())).isEqualTo(relayerBefore + 1);
            chain.mine();
        } finally {
            pool.shutdownNow();
            chain.setAutomine(true);
        }
        List<AgentClient.Response> accepted =
                answers.stream().filter(a -> a.status() == 202).toList();
        assertThat(accepted)
                .as(answers.stream().map(a -> a.raw().body()).toList().toString())
                .hasSize(1);
        String winner = accepted.getFirst().text("id");
        answers.stream().filter(a -> a.status() != 202).forEach(a -> assertConflict(a, "safe-nonce-in-use", winner));
        AgentClient.Response done = agent.awaitStatus(winner, SETTLE, "CONFIRMED", "FAILED", "DIVERGED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("CONFIRMED");
        int paid = answers.indexOf(accepted.getFirst()) + 1;
        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(shopBefore.plus(usdc(Integer.toString(paid))));
        assertThat(safeNonce()).isEqualTo(nonce.add(BigInteger.ONE));
        assertThat(adapter.confirmedNonce(guardian.relayer())).isEqualTo(relayerBefore + 1);
    }

    @Test
    void neitherTheAnswerNorTheRequestCarriesGuardiansCoSignatureOrTheCover() {
        SafeTransaction tx = payShop("3");
        SafeTxHash hash = SafeTransactions.hash(safe, adapter.chainId(), tx);
        Agent wallet = guardian.bean(AgentDirectory.class)
                .find(new AgentId("race-agent"), new WalletId("race-safe"))
                .orElseThrow();
        Signer coSigner = guardian.bean(KeyVault.class).signerFor(wallet.sealedKey());
        // Guardian's ECDSA signature is deterministic (RFC 6979): r and s are what it put in the execTransaction.
        String rs = Hex.encode(Arrays.copyOf(SafeSignatures.sign(coSigner, hash).encoded(), 64))
                .substring(2);
        String coverMagic = Hex.encode(SafeCover.MAGIC).substring(2);

        byte[] signature = agentSigns(tx);
        AgentClient.Response answer = propose(tx, signature);
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
        AgentClient.Response done = agent.awaitStatus(answer.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("CONFIRMED");
        AgentClient.Response read = agent.get("/v1/requests/" + answer.text("id"));
        for (AgentClient.Response seen : List.of(answer, read)) {
            assertThat(seen.raw().body()).doesNotContainIgnoringCase(rs).doesNotContainIgnoringCase(coverMagic);
            JsonNode asked = seen.body().get("asked");
            assertThat(asked.get("safeTxHash").stringValue()).isEqualTo(hash.toString());
            assertThat(asked.get("nonce").stringValue()).isEqualTo(tx.nonce().toString());
            // What the agent reads as the call is its own: execTransaction with the agent's signature alone.
            assertThat(seen.text("data"))
                    .isEqualToIgnoringCase(Hex.encode(SafeTransactions.execTransactionData(
                            tx, SafeSignatures.encode(List.of(SafeSignatures.recover(hash, signature))))));
        }
    }

    @Test
    void aRelayerThatCannotPayTheGasIsADenialWithItsFigures_nothingIsCoSignedOrSent() {
        SafeTransaction tx = payShop("4");
        TokenAmount shopBefore = chain.usdcBalance(usdc, SHOP);
        long relayerBefore = adapter.pendingNonce(guardian.relayer());
        TokenAmount left = TokenAmount.parse(Asset.ether(), "0.000000001");
        chain.setEthBalance(guardian.relayer(), left);
        AgentClient.Response answer;
        try {
            answer = propose(tx, agentSigns(tx));
        } finally {
            chain.setEthBalance(guardian.relayer(), TokenAmount.parse(Asset.ether(), "10"));
        }
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(403);
        assertThat(ruleIds(answer)).contains("relayer.insufficient-funds");
        JsonNode reason = null;
        for (JsonNode r : answer.body().get("reasons")) {
            if (r.get("ruleId").stringValue().equals("relayer.insufficient-funds")) {
                reason = r;
            }
        }
        assertThat(reason.toString()).contains(guardian.relayer().toString()).contains("0.000000001");
        assertThat(adapter.pendingNonce(guardian.relayer())).isEqualTo(relayerBefore);
        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(shopBefore);
        assertThat(safeNonce()).isEqualTo(tx.nonce());
        // Denied, it holds no nonce: funded again, the same payment goes through.
        SafeTransaction again = payShop("4");
        AgentClient.Response paid = propose(again, agentSigns(again), "race-funded-again");
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        assertThat(agent.awaitStatus(paid.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
    }
}
