package dev.guardian.service.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.effects.UnknownEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes call traces recorded from a real Anvil 1.7.1 (src/test/resources/chain/traces, recorded by
 * chain/fixture-contracts/record-fixtures.js; the addresses in each file are Anvil's deterministic ones).
 */
class CallTraceDecoderTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Address WALLET = Address.parseLenient("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    private static final Address ALICE = Address.parseLenient("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
    private static final Address BOB = Address.parseLenient("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
    private static final Address CAROL = Address.parseLenient("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
    private static final Address USDC_CONTRACT = Address.parseLenient("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final Address ROUTER = Address.parseLenient("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");
    private static final Address NFT = Address.parseLenient("0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");
    private static final Address PROBE = Address.parseLenient("0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9");
    private static final Address ZERO = Address.of(new byte[20]);
    /** The nft-mint fixture's emitter, standing in for the chain's Permit2 where a test makes it so. */
    private static final Address PERMIT2 = NFT;

    private static final Asset.Native ETH = Asset.ether();
    private static final Asset.Erc20 USDC = new Asset.Erc20(USDC_CONTRACT, "USDC", 6);

    private final CallTraceDecoder decoder =
            new CallTraceDecoder(new AssetRegistry(ETH, List.of(USDC)), Optional.of(PERMIT2));

    @Test
    void decodesErc20TransferIntoOneTransferOfTheRegisteredToken() {
        Simulation.Succeeded result = succeeded("erc20-transfer");

        assertThat(result.effects().effects()).containsExactly(new Transfer(usdc(12_500_000), WALLET, ALICE));
        assertThat(result.effects().touched()).containsExactlyInAnyOrder(WALLET, USDC_CONTRACT, ALICE);
        assertThat(result.gasUsed()).isGreaterThan(21_000);
    }

    @Test
    void decodesErc20ApproveIntoAnApproval() {
        assertThat(succeeded("erc20-approve").effects().effects())
                .containsExactly(new Approval(usdc(5_000_000), WALLET, BOB));
    }

    @Test
    void findsTokenMovementsTwoCallsDeepWhereTheCalldataNamesOnlyTheRouter() {
        SimulatedEffects effects = succeeded("router-pay-many").effects();

        // The router pulled the wallet's USDC with transferFrom: it is the operator of both movements. Its own
        // event is one the decoder does not know, so it is reported as such (the policy decides what it means).
        assertThat(effects.effects())
                .containsExactly(
                        new Transfer(usdc(1_000_000), WALLET, ALICE, Optional.of(ROUTER)),
                        new Transfer(usdc(2_000_000), WALLET, BOB, Optional.of(ROUTER)),
                        new UnknownEvent(
                                ROUTER, "0x26c4308021cef5cdbc618fee8b61faf9de6b8f7e4e49fac43869dc1a26756408", 1));
        assertThat(effects.touched()).contains(ROUTER, USDC_CONTRACT, ALICE, BOB);
        assertThat(effects.outgoingTotals(WALLET)).containsEntry(USDC, usdc(3_000_000));
    }

    @Test
    void valuesATokenMissingFromTheRegistryAsAnUnknownToken() {
        CallTraceDecoder withoutUsdc = new CallTraceDecoder(new AssetRegistry(ETH, List.of()), Optional.empty());

        Simulation result = withoutUsdc.decode(trace("erc20-transfer"));

        assertThat(((Simulation.Succeeded) result).effects().effects())
                .containsExactly(new Transfer(
                        TokenAmount.ofUnits(new Asset.UnknownToken(USDC_CONTRACT), 12_500_000), WALLET, ALICE));
    }

    @Test
    void ignoresEverythingInsideAFrameThatRevertedEvenWhenItsChildCallsSucceeded() {
        // tryPay: a call that moves 3 USDC and 0.1 ETH to Alice and then reverts (caught), then 3 USDC to Carol.
        SimulatedEffects effects = succeeded("try-catch-inner-revert").effects();

        assertThat(effects.effects())
                .containsExactly(
                        new Transfer(eth(100_000_000_000_000_000L), WALLET, PROBE),
                        new Transfer(usdc(3_000_000), WALLET, CAROL, Optional.of(PROBE)));
        assertThat(effects.effects()).noneMatch(e -> e instanceof Transfer t && t.to().equals(ALICE));
        // Alice was still contacted (the rolled-back frame sent her ETH), so she is screened.
        assertThat(effects.touched()).contains(ALICE, CAROL, PROBE, USDC_CONTRACT);
    }

    @Test
    void reportsAPlainEthTransferAsANativeTransfer() {
        Simulation.Succeeded result = succeeded("native-transfer");

        assertThat(result.effects().effects())
                .containsExactly(new Transfer(eth(1_000_000_000_000_000_000L), WALLET, ALICE));
        assertThat(result.gasUsed()).isEqualTo(21_000);
    }

    @Test
    void followsEthForwardedByAContractToItsRecipients() {
        assertThat(succeeded("native-split-through-contract").effects().effects())
                .containsExactly(
                        new Transfer(eth(3_000_000_000_000_000_000L), WALLET, PROBE),
                        new Transfer(eth(1_500_000_000_000_000_000L), PROBE, ALICE),
                        new Transfer(eth(1_500_000_000_000_000_000L), PROBE, BOB));
    }

    @Test
    void reportsAnErc721TransferAsOneUnitOfAnUnknownToken() {
        SimulatedEffects effects = succeeded("nft-mint").effects();

        assertThat(effects.effects())
                .containsExactly(new Transfer(
                        TokenAmount.ofUnits(new Asset.UnknownToken(NFT), 1), ZERO, ALICE, Optional.of(WALLET)));
        assertThat(effects.touched()).contains(NFT, ALICE, ZERO);
    }

    @Test
    void reportsApprovalForAllAsAnUnlimitedApprovalOfAnUnknownToken() {
        JsonNode trace = trace("nft-mint", log -> {
            ArrayNode topics = (ArrayNode) log.get("topics");
            topics.set(0, Hex.encode(CallTraceDecoder.APPROVAL_FOR_ALL_TOPIC));
            topics.remove(3);
            log.put("data", "0x" + "0".repeat(63) + "1");
        });

        assertThat(((Simulation.Succeeded) decoder.decode(trace)).effects().effects())
                .containsExactly(new Approval(
                        new TokenAmount(new Asset.UnknownToken(NFT), TokenAmount.MAX_UINT256),
                        ZERO,
                        ALICE,
                        Approval.Kind.OPERATOR));
    }

    @Test
    void reportsAnErc1155TransferSingleAsAMovementOfAnUnknownToken() {
        JsonNode trace = trace("nft-mint", log -> {
            ArrayNode topics = (ArrayNode) log.get("topics");
            String operator = topics.get(1).asString();
            topics.set(0, Hex.encode(CallTraceDecoder.TRANSFER_SINGLE_TOPIC));
            topics.set(3, topics.get(2).asString()); // to = alice
            topics.set(2, topics.get(1).asString()); // from = zero (a mint)
            topics.set(1, operator);
            log.put("data", "0x" + word(7) + word(250)); // id 7, value 250
        });

        assertThat(((Simulation.Succeeded) decoder.decode(trace)).effects().effects())
                .containsExactly(new Transfer(TokenAmount.ofUnits(new Asset.UnknownToken(NFT), 250), ZERO, ALICE));
    }

    @Test
    void reportsAnErc1155TransferBatchAsTheSumOfItsValues() {
        JsonNode trace = trace("nft-mint", log -> {
            ArrayNode topics = (ArrayNode) log.get("topics");
            String operator = topics.get(1).asString();
            topics.set(0, Hex.encode(CallTraceDecoder.TRANSFER_BATCH_TOPIC));
            topics.set(3, topics.get(2).asString());
            topics.set(2, topics.get(1).asString());
            topics.set(1, operator);
            // ids at 0x40: [1, 2]; values at 0xa0: [10, 32]
            log.put(
                    "data",
                    "0x" + word(0x40) + word(0xa0) + word(2) + word(1) + word(2) + word(2) + word(10) + word(32));
        });

        assertThat(((Simulation.Succeeded) decoder.decode(trace)).effects().effects())
                .containsExactly(new Transfer(TokenAmount.ofUnits(new Asset.UnknownToken(NFT), 42), ZERO, ALICE));
    }

    @Test
    void refusesATransferBatchWhoseOffsetsPointOutsideItsData() {
        JsonNode trace = trace("nft-mint", log -> {
            ((ArrayNode) log.get("topics")).set(0, Hex.encode(CallTraceDecoder.TRANSFER_BATCH_TOPIC));
            log.put("data", "0x" + word(0x40) + word(0x400) + word(0));
        });

        assertThat(undecodable(trace)).contains("TransferBatch");
    }

    @Test
    void reportsApprovalForAllRevokedAsAZeroAllowance() {
        JsonNode trace = trace("nft-mint", log -> {
            ArrayNode topics = (ArrayNode) log.get("topics");
            topics.set(0, Hex.encode(CallTraceDecoder.APPROVAL_FOR_ALL_TOPIC));
            topics.remove(3);
            log.put("data", "0x" + word(0));
        });

        assertThat(effectsOf(trace))
                .containsExactly(new Approval(
                        TokenAmount.zero(new Asset.UnknownToken(NFT)), ZERO, ALICE, Approval.Kind.OPERATOR));
    }

    @Test
    void reportsAnErc6909OperatorGrantAndRevocation() {
        for (long approved : new long[] {1, 0}) {
            JsonNode trace = trace("nft-mint", log -> {
                log.set("topics", topics(CallTraceDecoder.ERC6909_OPERATOR_SET_TOPIC, WALLET, BOB));
                log.put("data", "0x" + word(approved));
            });
            Asset.UnknownToken token = new Asset.UnknownToken(NFT);
            TokenAmount allowance =
                    approved == 1 ? new TokenAmount(token, TokenAmount.MAX_UINT256) : TokenAmount.zero(token);

            assertThat(effectsOf(trace)).containsExactly(new Approval(allowance, WALLET, BOB, Approval.Kind.OPERATOR));
        }
    }

    @Test
    void reportsAnErc777OperatorAuthorisationAndRevocation() {
        // AuthorizedOperator(operator, holder): the holder's tokens become the operator's to move.
        JsonNode authorised = trace("nft-mint", log -> {
            log.set("topics", topics(CallTraceDecoder.ERC777_AUTHORIZED_OPERATOR_TOPIC, BOB, WALLET));
            log.put("data", "0x");
        });
        JsonNode revoked = trace("nft-mint", log -> {
            log.set("topics", topics(CallTraceDecoder.ERC777_REVOKED_OPERATOR_TOPIC, BOB, WALLET));
            log.put("data", "0x");
        });
        Asset.UnknownToken token = new Asset.UnknownToken(NFT);

        assertThat(effectsOf(authorised))
                .containsExactly(new Approval(
                        new TokenAmount(token, TokenAmount.MAX_UINT256), WALLET, BOB, Approval.Kind.OPERATOR));
        assertThat(effectsOf(revoked))
                .containsExactly(new Approval(TokenAmount.zero(token), WALLET, BOB, Approval.Kind.OPERATOR));
    }

    @Test
    void readsAPermit2ApprovalFromTheConfiguredPermit2AsAnAllowanceOfTheNamedToken() {
        JsonNode trace = trace("nft-mint", log -> {
            log.set("topics", topics(CallTraceDecoder.PERMIT2_APPROVAL_TOPIC, WALLET, USDC_CONTRACT, BOB));
            log.put("data", "0x" + word(5_000_000) + word(1_900_000_000L));
        });

        assertThat(effectsOf(trace)).containsExactly(new Approval(usdc(5_000_000), WALLET, BOB, Approval.Kind.PERMIT2));
    }

    @Test
    void readsAPermit2LockdownFromTheConfiguredPermit2AsARevocation() {
        JsonNode trace = trace("nft-mint", log -> {
            log.set("topics", topics(CallTraceDecoder.PERMIT2_LOCKDOWN_TOPIC, WALLET));
            log.put("data", "0x" + addressWord(USDC_CONTRACT) + addressWord(BOB));
        });

        assertThat(effectsOf(trace)).containsExactly(new Approval(usdc(0), WALLET, BOB, Approval.Kind.PERMIT2));
    }

    @Test
    void treatsPermit2ShapedEventsFromAnyOtherContractAsUnknownEvents() {
        // A look-alike Lockdown from a contract the agent wrote must not seem to revoke the wallet's USDC
        // allowance (that would release exposure the budget still holds).
        CallTraceDecoder elsewhere = new CallTraceDecoder(new AssetRegistry(ETH, List.of(USDC)), Optional.of(ROUTER));
        JsonNode lockdown = trace("nft-mint", log -> {
            log.set("topics", topics(CallTraceDecoder.PERMIT2_LOCKDOWN_TOPIC, WALLET));
            log.put("data", "0x" + addressWord(USDC_CONTRACT) + addressWord(BOB));
        });
        JsonNode approval = trace("nft-mint", log -> {
            log.set("topics", topics(CallTraceDecoder.PERMIT2_APPROVAL_TOPIC, WALLET, USDC_CONTRACT, BOB));
            log.put("data", "0x" + word(0) + word(0));
        });

        assertThat(((Simulation.Succeeded) elsewhere.decode(lockdown)).effects().effects())
                .containsExactly(new UnknownEvent(NFT, Hex.encode(CallTraceDecoder.PERMIT2_LOCKDOWN_TOPIC), 1));
        assertThat(((Simulation.Succeeded) elsewhere.decode(approval)).effects().effects())
                .containsExactly(new UnknownEvent(NFT, Hex.encode(CallTraceDecoder.PERMIT2_APPROVAL_TOPIC), 1));
        CallTraceDecoder withoutPermit2 = new CallTraceDecoder(new AssetRegistry(ETH, List.of(USDC)), Optional.empty());
        assertThat(((Simulation.Succeeded) withoutPermit2.decode(lockdown))
                        .effects()
                        .effects())
                .containsExactly(new UnknownEvent(NFT, Hex.encode(CallTraceDecoder.PERMIT2_LOCKDOWN_TOPIC), 1));
    }

    @Test
    void refusesATraceWithMoreLogsThanItJudges() {
        ObjectNode trace = (ObjectNode) trace("nft-mint");
        ArrayNode logs = (ArrayNode) trace.findValue("logs");
        JsonNode first = logs.get(0);
        while (logs.size() <= CallTraceDecoder.MAX_LOGS) {
            logs.add(first.deepCopy());
        }

        assertThat(undecodable(trace)).contains("more than " + CallTraceDecoder.MAX_LOGS + " logs");
    }

    private List<Effect> effectsOf(JsonNode trace) {
        Simulation result = decoder.decode(trace);
        assertThat(result).isInstanceOf(Simulation.Succeeded.class);
        return ((Simulation.Succeeded) result).effects().effects();
    }

    private static ArrayNode topics(byte[] signature, Address... indexed) {
        ArrayNode topics = JSON.createArrayNode();
        topics.add(Hex.encode(signature));
        for (Address address : indexed) {
            topics.add("0x" + addressWord(address));
        }
        return topics;
    }

    private static String addressWord(Address address) {
        return "0".repeat(24) + address.toLowerHex().substring(2);
    }

    private static String word(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(64 - hex.length()) + hex;
    }

    @Test
    void decodesAnErrorStringRevertIntoItsText() {
        assertThat(decoder.decode(trace("erc20-transfer-to-blacklisted")))
                .isEqualTo(new Simulation.Reverted("Blacklistable: account is blacklisted"));
    }

    @Test
    void decodesAPanicIntoItsCodeAndMeaning() {
        assertThat(decoder.decode(trace("panic-overflow")))
                .isEqualTo(new Simulation.Reverted("panic 0x11 (arithmetic overflow)"));
    }

    @Test
    void namesTheSelectorOfACustomError() {
        // TraceProbe.deny(): Unauthorized(msg.sender, 7)
        assertThat(decoder.decode(trace("custom-error")))
                .isEqualTo(new Simulation.Reverted(
                        "custom error 0xda472023 (data 0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
                                + "0000000000000000000000000000000000000000000000000000000000000007)"));
        // OpenZeppelin's ERC20InsufficientBalance(address,uint256,uint256)
        assertThat(((Simulation.Reverted) decoder.decode(trace("erc20-transfer-over-balance"))).reason())
                .startsWith("custom error 0xe450d38c (data ");
    }

    @Test
    void saysWhenARevertCarriesNoReason() {
        assertThat(decoder.decode(trace("revert-without-reason")))
                .isEqualTo(new Simulation.Reverted("reverted without a reason"));
    }

    @Test
    void usesTheNodesWordsForAFailureWithoutRevertData() {
        ObjectNode trace = (ObjectNode) trace("revert-without-reason");
        trace.put("error", "out of gas");

        assertThat(decoder.decode(trace)).isEqualTo(new Simulation.Reverted("out of gas"));
    }

    @Test
    void refusesATransferLogWithTooFewTopics() {
        JsonNode trace = trace("erc20-transfer", log -> ((ArrayNode) log.get("topics")).remove(2));

        assertThat(undecodable(trace)).contains("Transfer log of " + USDC_CONTRACT + " has 2 topics");
    }

    @Test
    void refusesAnErc20TransferWhoseAmountIsNotOneWord() {
        JsonNode trace = trace("erc20-transfer", log -> log.put("data", "0x" + "00".repeat(31)));

        assertThat(undecodable(trace)).contains("31 data bytes");
    }

    @Test
    void refusesBadHexInALog() {
        JsonNode trace = trace("erc20-transfer", log -> log.put("data", "0x00zz"));

        assertThat(undecodable(trace)).contains("not valid hex");
    }

    @Test
    void refusesAnAddressTopicWithNonZeroUpperBytes() {
        JsonNode trace = trace(
                "erc20-transfer",
                log -> ((ArrayNode) log.get("topics"))
                        .set(1, "0x01" + "0".repeat(22) + WALLET.toLowerHex().substring(2)));

        assertThat(undecodable(trace)).contains("upper bytes");
    }

    @Test
    void refusesAnUnknownFrameType() {
        ObjectNode trace = (ObjectNode) trace("native-transfer");
        trace.put("type", "TELEPORT");

        assertThat(undecodable(trace)).contains("TELEPORT");
    }

    @Test
    void refusesATraceWithoutGasUsed() {
        ObjectNode trace = (ObjectNode) trace("native-transfer");
        trace.remove("gasUsed");

        assertThat(undecodable(trace)).contains("gasUsed");
    }

    @Test
    void refusesABadValueQuantity() {
        ObjectNode trace = (ObjectNode) trace("native-transfer");
        trace.put("value", "1000");

        assertThat(undecodable(trace)).contains("value");
    }

    /** Why the decoder could not judge {@code trace}: a malformed trace is that request's denial, not an outage. */
    private String undecodable(JsonNode trace) {
        Simulation result = decoder.decode(trace);
        assertThat(result).isInstanceOf(Simulation.Undecodable.class);
        return ((Simulation.Undecodable) result).reason();
    }

    private Simulation.Succeeded succeeded(String fixture) {
        Simulation result = decoder.decode(trace(fixture));
        assertThat(result).isInstanceOf(Simulation.Succeeded.class);
        return (Simulation.Succeeded) result;
    }

    /** The recorded trace with its first log (searched depth-first) changed by {@code edit}. */
    private static JsonNode trace(String fixture, Consumer<ObjectNode> edit) {
        JsonNode trace = trace(fixture);
        JsonNode log = trace.findValue("logs").get(0);
        edit.accept((ObjectNode) log);
        return trace;
    }

    private static JsonNode trace(String fixture) {
        try (InputStream in = CallTraceDecoderTest.class.getResourceAsStream("/chain/traces/" + fixture + ".json")) {
            assertThat(in).as("fixture " + fixture).isNotNull();
            return JSON.readTree(in).get("trace");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static TokenAmount usdc(long units) {
        return TokenAmount.ofUnits(USDC, units);
    }

    private static TokenAmount eth(long wei) {
        return TokenAmount.ofUnits(ETH, wei);
    }
}
