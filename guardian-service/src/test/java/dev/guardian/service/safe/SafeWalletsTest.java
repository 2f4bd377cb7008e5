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
import dev.guardian.service.chain.TxReceipt;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.reconciliation.WalletReconciler;
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
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Co-signed Safe wallets through one Guardian on Anvil with the real Safe 1.4.1 contracts and GuardianSafeGuard:
 * a treasury creates the Safe through the API (read back from the chain), the agent signs with its own key (an
 * Anvil account, through {@code eth_signTypedData_v4}: a signer nobody here wrote), Guardian judges, co-signs and
 * the relayer sends. Every refusal is read back from the chain: nothing moved, the Safe is as it was.
 */
class SafeWalletsTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Address SHOP = TestAddresses.fresh();
    private static final Address STRANGER = TestAddresses.fresh();
    private static final PersonSpec TREASURER = PersonSpec.person("safe-treasurer", Role.TREASURY);
    private static final PersonSpec APPROVER = PersonSpec.person("safe-approver", Role.APPROVER);

    private static GuardianInstance guardian;
    private static DevChain chain;
    private static ChainAdapter adapter;
    private static Address usdc;
    private static SafeContracts contracts;
    private static SafeGuardContracts guard;
    private static Address merchant;
    private static Address agentKey;
    private static Address treasuryKey;
    private static Address outsider;
    private static AgentClient agent;
    private static Treasury desk;
    private static Address safe;
    private static JsonNode created;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        contracts = chain.deploySafeContracts();
        guard = chain.deploySafeGuard();
        agentKey = chain.devAccounts().get(1);
        treasuryKey = chain.devAccounts().get(2);
        outsider = chain.devAccounts().get(3);
        merchant = chain.deployTwoFacedMerchant(outsider);
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
        desk = new Treasury(guardian, TREASURER, chain);
        agent = desk.createAgent("safe-agent", """
                {"perTransaction": {"USDC": {"escalateAbove": "100"}, "ETH": {"escalateAbove": "1"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Shop"}, {"address": "%s", "label": "Merchant"}],
                 "contracts": [{"address": "%s", "label": "Merchant",
                                "functions": [{"signature": "settle(address,uint256,uint8)"}],
                                "knownEvents": ["Settled(address,uint256)"]}]}""".formatted(SHOP, merchant, merchant));
        AgentClient.Response answer = desk.client()
                .post("/v1/agents/safe-agent/safe-wallets", """
                        {"walletId": "agent-safe", "agentOwner": "%s", "treasuryOwners": ["%s"],
                         "usdcCapPerWindow": "300", "windowSeconds": "86400", "comment": "the agent's Safe"}""".formatted(agentKey, treasuryKey), Optional.empty());
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(201);
        created = answer.body();
        safe = Address.parse(created.get("address").stringValue());
        chain.mintUsdc(usdc, safe, usdc("200"));
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

    private static SafeTransaction call(Address to, byte[] data) {
        return SafeTransaction.call(
                to, TokenAmount.zero(Asset.ether()), data, SafeTransaction.Operation.CALL, safeNonce());
    }

    /** The agent's signature, made by its own key (an Anvil account) with eth_signTypedData_v4. */
    private static byte[] agentSigns(SafeTransaction tx) {
        return chain.signTypedDataAs(
                agentKey, TypedDataJson.of(SafeTransactions.typedData(safe, adapter.chainId(), tx)));
    }

    private static AgentClient.Response propose(SafeTransaction tx, byte[] signature) {
        String json = """
                {"walletId": "agent-safe", "to": "%s", "value": "%s", "data": "%s", "operation": "%s",
                 "nonce": "%s", "signature": "%s"}""".formatted(
                        tx.to(),
                        tx.value().toDecimalString(),
                        Hex.encode(tx.data()),
                        tx.operation().name(),
                        tx.nonce(),
                        Hex.encode(signature));
        return agent.post("/v1/safe-transactions", json, Optional.of("safe-" + Hex.encode(Keccak256.hash(signature))));
    }

    private static List<String> ruleIds(AgentClient.Response answer) {
        List<String> ids = new ArrayList<>();
        answer.body().get("reasons").forEach(r -> ids.add(r.get("ruleId").stringValue()));
        return ids;
    }

    private static SafeOnChain.State unchangedSafe() {
        SafeOnChain.State state = SafeOnChain.read(adapter, safe);
        assertThat(state.owners()).hasSize(3).contains(agentKey, treasuryKey);
        assertThat(state.threshold()).isEqualTo(2);
        assertThat(state.guard()).isEqualTo(guard.guard());
        assertThat(state.firstModule()).isEmpty();
        return state;
    }

    @Test
    void theTreasuryCreatesTheSafeGuardedFromItsFirstBlock_readBackFromTheChain() {
        JsonNode view = created.get("safe");
        assertThat(created.get("kind").stringValue()).isEqualTo("SAFE");
        assertThat(view.get("threshold").asInt()).isEqualTo(2);
        assertThat(view.get("guard").stringValue()).isEqualTo(guard.guard().toString());
        Address guardianOwner = Address.parse(view.get("guardianOwner").stringValue());
        List<String> owners = new ArrayList<>();
        view.get("owners").forEach(o -> owners.add(o.stringValue()));
        assertThat(owners)
                .containsExactlyInAnyOrder(agentKey.toString(), guardianOwner.toString(), treasuryKey.toString());
        SafeOnChain.State state = unchangedSafe();
        assertThat(state.owners()).contains(guardianOwner);
        assertThat(state.fallbackHandler()).isEqualTo(contracts.fallbackHandler());
        // The guard knows the Safe and Guardian's key (configOf: its first word is the guardian).
        byte[] config = adapter.callLatest(guard.guard(), Calldata.call("configOf", safe), 64);
        assertThat(Address.of(Arrays.copyOfRange(config, 32 + 12, 64))).isEqualTo(guardianOwner);
        // Guardian's co-signing key is none of the agent's: the agent's owner is its own Anvil account.
        assertThat(guardianOwner).isNotEqualTo(agentKey);
    }

    @Test
    void refusesAnAgentOwnerThatIsAlsoATreasuryOwnerOrOneOfGuardiansKeys() {
        AgentClient.Response twice = desk.client()
                .post("/v1/agents/safe-agent/safe-wallets", """
                        {"walletId": "twice-safe", "agentOwner": "%s", "treasuryOwners": ["%s"],
                         "usdcCapPerWindow": "1", "windowSeconds": "60"}""".formatted(treasuryKey, treasuryKey), Optional.empty());
        assertThat(twice.status()).as(twice.raw().body()).isEqualTo(400);
        assertThat(twice.contentType()).startsWith("application/problem+json");
        Address coSigner =
                Address.parse(created.get("safe").get("guardianOwner").stringValue());
        AgentClient.Response guardians =
                desk.client().post("/v1/agents/safe-agent/safe-wallets", """
                        {"walletId": "guardians-safe", "agentOwner": "%s", "usdcCapPerWindow": "1",
                         "windowSeconds": "60"}""".formatted(coSigner), Optional.empty());
        assertThat(guardians.status()).as(guardians.raw().body()).isEqualTo(400);
        assertThat(guardians.raw().body()).contains("/agentOwner");
    }

    @Test
    void theAgentAndGuardianPayAnAllowlistedShop_relayedAndConfirmed() {
        TokenAmount shopBefore = chain.usdcBalance(usdc, SHOP);
        TokenAmount safeBefore = chain.usdcBalance(usdc, safe);
        SafeTransaction tx = call(usdc, Calldata.transfer(SHOP, usdc("12.5")));
        // The hash Guardian signs is the Safe's own.
        byte[] onChain = adapter.callLatest(safe, SafeTransactions.getTransactionHashData(tx), 32);
        assertThat(onChain)
                .isEqualTo(SafeTransactions.hash(safe, adapter.chainId(), tx).toBytes());

        AgentClient.Response answer = propose(tx, agentSigns(tx));
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
        AgentClient.Response done = agent.awaitStatus(answer.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("CONFIRMED");
        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(shopBefore.plus(usdc("12.5")));
        assertThat(chain.usdcBalance(usdc, safe)).isEqualTo(safeBefore.minus(usdc("12.5")));
        assertThat(safeNonce()).isEqualTo(tx.nonce().add(BigInteger.ONE));
        unchangedSafe();
    }

    @Test
    void anEscalatedSafeTransactionIsCoSignedOnlyAfterTheApproversReCheck() {
        TokenAmount shopBefore = chain.usdcBalance(usdc, SHOP);
        SafeTransaction tx = call(usdc, Calldata.transfer(SHOP, usdc("150")));
        AgentClient.Response answer = propose(tx, agentSigns(tx));
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
        assertThat(answer.text("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(ruleIds(answer)).contains("cap.per-transaction");
        // Escalated, the request holds the execTransaction with the agent's signature alone: no cover, no
        // co-signature anyone could execute while people decide.
        assertThat(answer.text("data"))
                .doesNotContain(Hex.encode(SafeCover.MAGIC).substring(2));

        AgentClient.Response approved = guardian.client(APPROVER)
                .post("/v1/approvals/" + answer.text("id") + "/approve", "{\"comment\":\"ok\"}", Optional.empty());
        assertThat(approved.status()).as(approved.raw().body()).isIn(200, 202);
        AgentClient.Response done = agent.awaitStatus(answer.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("CONFIRMED");
        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(shopBefore.plus(usdc("150")));
        assertThat(safeNonce()).isEqualTo(tx.nonce().add(BigInteger.ONE));
    }

    @Test
    void walletReconciliationExplainsTheSafesOutflowsByItsOwnRelayedTransactions() {
        WalletReconciler reconciler = guardian.bean(WalletReconciler.class);
        reconciler.reconcileAll();
        // The Safe's ETH arrives in a block of its own, so the checkpoint holds it before anything leaves.
        chain.setEthBalance(safe, TokenAmount.parse(Asset.ether(), "1"));
        chain.mine();
        reconciler.reconcileAll();
        assertThat(reconciler
                        .checkpoint(new WalletId("agent-safe"))
                        .orElseThrow()
                        .balances())
                .containsEntry("ETH", TokenAmount.parse(Asset.ether(), "1").units());
        SafeTransaction usdcOut = call(usdc, Calldata.transfer(SHOP, usdc("3")));
        AgentClient.Response first = propose(usdcOut, agentSigns(usdcOut));
        assertThat(first.status()).as(first.raw().body()).isEqualTo(202);
        assertThat(agent.awaitStatus(first.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        TokenAmount shopEth = chain.ethBalance(SHOP);
        SafeTransaction ethOut = SafeTransaction.call(
                SHOP,
                TokenAmount.parse(Asset.ether(), "0.01"),
                new byte[0],
                SafeTransaction.Operation.CALL,
                safeNonce());
        AgentClient.Response second = propose(ethOut, agentSigns(ethOut));
        assertThat(second.status()).as(second.raw().body()).isEqualTo(202);
        assertThat(agent.awaitStatus(second.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        assertThat(chain.ethBalance(SHOP)).isEqualTo(shopEth.plus(TokenAmount.parse(Asset.ether(), "0.01")));

        WalletReconciler.Pass pass = reconciler.reconcileAll();
        // The pass reached the Safe's last block: what it found, it found there.
        assertThat(reconciler
                        .checkpoint(new WalletId("agent-safe"))
                        .orElseThrow()
                        .block())
                .as("%s", pass)
                .isEqualTo(adapter.blockNumber());
        assertThat(reconciler.unexplainedCount(new WalletId("agent-safe")))
                .as("%s %s", pass, reconciler.checkpoint(new WalletId("agent-safe")))
                .isZero();
        assertThat(guardian.bean(AgentDirectory.class)
                        .describe(new AgentId("safe-agent"))
                        .orElseThrow()
                        .frozen())
                .isFalse();
    }

    @Test
    void refusesAPayeeNotAllowlisted_andTheAgentAloneCannotExecute() {
        TokenAmount strangerBefore = chain.usdcBalance(usdc, STRANGER);
        TokenAmount safeBefore = chain.usdcBalance(usdc, safe);
        SafeTransaction tx = call(usdc, Calldata.transfer(STRANGER, usdc("5")));
        byte[] signature = agentSigns(tx);
        AgentClient.Response answer = propose(tx, signature);
        assertThat(answer.status()).as(answer.raw().body()).isIn(202, 403);
        assertThat(answer.raw().body()).contains("counterparty.not-allowlisted");
        assertThat(answer.raw().body()).doesNotContain("\"CONFIRMED\"");

        // The agent sends execTransaction itself with its own signature only: the Safe wants two.
        SafeSignatures.OwnerSignature own =
                SafeSignatures.recover(SafeTransactions.hash(safe, adapter.chainId(), tx), signature);
        chain.setEthBalance(agentKey, TokenAmount.parse(Asset.ether(), "1"));
        TxReceipt receipt = chain.awaitReceipt(chain.sendWithoutWaiting(
                agentKey,
                safe,
                SafeTransactions.execTransactionData(tx, SafeSignatures.encode(List.of(own))),
                BigInteger.ONE));
        assertThat(receipt.succeeded()).isFalse();
        assertThat(chain.usdcBalance(usdc, STRANGER)).isEqualTo(strangerBefore);
        assertThat(chain.usdcBalance(usdc, safe)).isEqualTo(safeBefore);
        assertThat(safeNonce()).isEqualTo(tx.nonce());
    }

    @Test
    void neverCoSignsAChangeOfOwnersThresholdGuardOrModules_norADelegateCallElsewhere() {
        List<byte[]> changes = List.of(
                Calldata.call("addOwnerWithThreshold", outsider, 1),
                Calldata.call("changeThreshold", 1),
                Calldata.call("setGuard", Address.ZERO),
                Calldata.call("enableModule", outsider));
        for (byte[] change : changes) {
            SafeTransaction tx = call(safe, change);
            AgentClient.Response answer = propose(tx, agentSigns(tx));
            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(403);
            assertThat(ruleIds(answer)).contains("safe.setup-change-not-allowed");
        }
        SafeTransaction elsewhere = SafeTransaction.call(
                usdc,
                TokenAmount.zero(Asset.ether()),
                Calldata.transfer(SHOP, usdc("1")),
                SafeTransaction.Operation.DELEGATECALL,
                safeNonce());
        AgentClient.Response delegated = propose(elsewhere, agentSigns(elsewhere));
        assertThat(delegated.status()).as(delegated.raw().body()).isEqualTo(403);
        assertThat(ruleIds(delegated)).contains("safe.delegatecall-not-allowed");
        SafeTransaction stale = call(usdc, Calldata.transfer(SHOP, usdc("1")));
        SafeTransaction old = SafeTransaction.call(
                stale.to(),
                stale.value(),
                stale.data(),
                stale.operation(),
                stale.nonce().add(BigInteger.TEN));
        AgentClient.Response future = propose(old, agentSigns(old));
        assertThat(ruleIds(future)).contains("safe.nonce-not-current");
        SafeTransaction forged = call(usdc, Calldata.transfer(SHOP, usdc("1")));
        byte[] byOutsider = chain.signTypedDataAs(
                outsider, TypedDataJson.of(SafeTransactions.typedData(safe, adapter.chainId(), forged)));
        assertThat(ruleIds(propose(forged, byOutsider))).contains("safe.signature-not-agent-owner");
        unchangedSafe();
    }

    @Test
    void evenTheAgentAndGuardiansKeyTogetherCannotAddAnOwner_theGuardWantsATreasuryOwner() {
        Agent wallet = guardian.bean(AgentDirectory.class)
                .find(new AgentId("safe-agent"), new WalletId("agent-safe"))
                .orElseThrow();
        Signer coSigner = guardian.bean(KeyVault.class).signerFor(wallet.sealedKey());
        SafeTransaction tx = call(safe, Calldata.call("addOwnerWithThreshold", outsider, 2));
        SafeTxHash hash = SafeTransactions.hash(safe, adapter.chainId(), tx);
        SafeSignatures.OwnerSignature byAgent = SafeSignatures.recover(hash, agentSigns(tx));
        SafeSignatures.OwnerSignature byGuardian = SafeSignatures.sign(coSigner, hash);
        SafeCover cover = SafeCover.sign(
                coSigner,
                guard.guard(),
                safe,
                adapter.chainId(),
                hash,
                TokenAmount.MAX_UINT256,
                TokenAmount.MAX_UINT256,
                adapter.latestBlock().timestamp().getEpochSecond() + 600);
        byte[] signatures = SafeSignatures.encode(List.of(byAgent, byGuardian), cover.encode());
        // The pair is enough for the Safe itself ...
        adapter.callLatest(safe, SafeTransactions.checkSignaturesData(safe, adapter.chainId(), tx, signatures), 0);
        // ... and the guard refuses it on chain.
        TxReceipt receipt = chain.awaitReceipt(chain.sendWithoutWaiting(
                outsider, safe, SafeTransactions.execTransactionData(tx, signatures), BigInteger.ONE));
        assertThat(receipt.succeeded()).isFalse();
        assertThat(unchangedSafe().owners()).doesNotContain(outsider);
        assertThat(safeNonce()).isEqualTo(tx.nonce());
    }

    /** Pay the merchant 20 and let it refund 15: net 5, as long as it believes it runs in a simulation. */
    private static SafeTransaction twoFacedBatch() {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        entry(batch, usdc, Calldata.transfer(merchant, usdc("20")));
        entry(batch, merchant, Calldata.call("settle", usdc, usdc("15"), (byte) 1));
        return SafeTransaction.call(
                contracts.multiSendCallOnly(),
                TokenAmount.zero(Asset.ether()),
                Calldata.call("multiSend", (Object) batch.toByteArray()),
                SafeTransaction.Operation.DELEGATECALL,
                safeNonce());
    }

    @Test
    void aMerchantThatRefundsOnlyInTheSimulationMakesTheSafeTransactionRevertInTheGuard_nothingMoves() {
        // Not armed: the batch does on chain what the simulation showed, and the cover (net 5) holds.
        chain.sendFromDevAccount(merchant, Calldata.call("setArmedAfterBlock", 1_000_000_000L));
        TokenAmount beforeHonest = chain.usdcBalance(usdc, safe);
        SafeTransaction honest = twoFacedBatch();
        AgentClient.Response paid = propose(honest, agentSigns(honest));
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        AgentClient.Response settled = agent.awaitStatus(paid.text("id"), SETTLE, "CONFIRMED", "FAILED", "DIVERGED");
        assertThat(settled.text("status")).as(settled.raw().body()).isEqualTo("CONFIRMED");
        assertThat(chain.usdcBalance(usdc, safe)).isEqualTo(beforeHonest.minus(usdc("5")));

        // Armed between Guardian's simulation and the block (a higher tip: mined first), it keeps all 20.
        TokenAmount safeBefore = chain.usdcBalance(usdc, safe);
        TokenAmount merchantBefore = chain.usdcBalance(usdc, merchant);
        SafeTransaction tx = twoFacedBatch();
        chain.setAutomine(false);
        String id;
        try {
            AgentClient.Response answer = propose(tx, agentSigns(tx));
            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
            id = answer.text("id");
            chain.sendWithoutWaiting(
                    chain.owner(),
                    merchant,
                    Calldata.call("setArmedAfterBlock", 0L),
                    BigInteger.valueOf(50_000_000_000L));
            chain.mine();
        } finally {
            chain.setAutomine(true);
        }
        AgentClient.Response done = agent.awaitStatus(id, SETTLE, "CONFIRMED", "FAILED", "DIVERGED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("FAILED");
        assertThat(chain.usdcBalance(usdc, safe)).isEqualTo(safeBefore);
        assertThat(chain.usdcBalance(usdc, merchant)).isEqualTo(merchantBefore);
        assertThat(safeNonce()).isEqualTo(tx.nonce());
    }

    private static void entry(ByteArrayOutputStream batch, Address to, byte[] data) {
        batch.write(0);
        batch.writeBytes(to.toBytes());
        batch.writeBytes(new byte[32]);
        byte[] length = new byte[32];
        length[30] = (byte) (data.length >> 8);
        length[31] = (byte) data.length;
        batch.writeBytes(length);
        batch.writeBytes(data);
    }

    @Test
    void aPaymentNamingTheSafeIsRefused_itPaysOnlyThroughSafeTransactions() {
        AgentClient.Response answer = agent.post(
                "/v1/payments",
                "{\"walletId\": \"agent-safe\", \"recipient\": \"" + SHOP + "\", \"amount\": \"1\"}",
                Optional.empty());
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(400);
        assertThat(answer.raw().body()).contains("/v1/safe-transactions");
        SafeTransaction tx = call(usdc, Calldata.transfer(SHOP, usdc("1")));
        String handBack = "{\"walletId\": \"agent-safe\", \"to\": \"" + tx.to() + "\", \"data\": \""
                + Hex.encode(tx.data()) + "\", \"nonce\": \"" + tx.nonce() + "\", \"signature\": \""
                + Hex.encode(agentSigns(tx)) + "\", \"submit\": \"agent\"}";
        AgentClient.Response refused = agent.post("/v1/safe-transactions", handBack, Optional.empty());
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.raw().body()).contains("/submit");
        assertThat(safeNonce()).isEqualTo(tx.nonce());
    }
}
