package dev.guardian.service.chain;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.effects.UnknownEvent;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the answer of {@code debug_traceCall} with {@code {"tracer":"callTracer","tracerConfig":{"withLog":true}}}
 * into a {@link Simulation}. Pure: no I/O, so it is tested on traces recorded from a real Anvil.
 *
 * <ul>
 *   <li>A failed top-level frame is a {@link Simulation.Reverted} with the decoded revert reason.
 *   <li>Otherwise the whole call tree is walked in execution order. A frame that failed (it has an
 *       {@code error}) was rolled back, so neither its value move and logs nor those of its children count,
 *       even where a child itself succeeded (a call caught by try/catch).
 *   <li>Native value: a CALL, CREATE, CREATE2 or SELFDESTRUCT frame with value above zero is a transfer of
 *       the native asset from the frame's {@code from} to its {@code to}. DELEGATECALL and CALLCODE run in
 *       the caller's own account and STATICCALL carries none, so their value field is not a move.
 *   <li>Who acted: each frame runs with a {@code msg.sender} (the frame's caller; for a DELEGATECALL, the
 *       calling context's own sender, as the EVM keeps it). A token Transfer of an owner's tokens made by
 *       someone else than the owner is a spender using an allowance: its {@link Transfer#operator()}.
 *   <li>Logs: {@code Transfer(address,address,uint256)} and {@code Approval(address,address,uint256)} with
 *       three topics are ERC-20 movements and allowances of {@code assets.token(emitter)}. The same events
 *       with four topics are ERC-721 (the token id is indexed): they become one unit of an
 *       {@link Asset.UnknownToken} so that policy escalates rather than values them. Allowances of other
 *       kinds are allowances too: Permit2's {@code Approval}, {@code Permit} and {@code Lockdown} (a
 *       revocation), when the configured Permit2 contract emitted them (from any other emitter they are
 *       unknown events), and operators of all of an owner's tokens ({@code ApprovalForAll}, ERC-6909
 *       {@code OperatorSet}, ERC-777 {@code AuthorizedOperator} and {@code RevokedOperator}): granting one
 *       is an unlimited allowance, removing it a revocation. ERC-1155 {@code TransferSingle} and
 *       {@code TransferBatch} and ERC-6909 {@code Transfer} are movements of an unknown token, so a
 *       multi-token transfer out of the wallet is never invisible to policy.
 *   <li>Every other log is an {@link UnknownEvent} with the depth of the context that emitted it (1 for
 *       the contract the wallet called): the policy escalates those it cannot tell are harmless.
 *   <li>Touched: every frame's {@code from} and {@code to} (failed frames included: the transaction still
 *       contacts them), every log emitter, every party of every effect.
 * </ul>
 * A trace that cannot be read with certainty (unknown frame type, bad hex, a Transfer event with the
 * wrong shape), or one larger than Guardian judges ({@link #MAX_FRAMES} frames, {@link #MAX_LOGS} logs,
 * {@link #MAX_TOUCHED} addresses), is a {@link Simulation.Undecodable}: that request's denial, never a
 * skipped effect and never a chain outage.
 */
final class CallTraceDecoder {
    static final int MAX_FRAMES = 5_000;
    static final int MAX_LOGS = 10_000;
    static final int MAX_TOUCHED = 2_000;

    static final byte[] TRANSFER_TOPIC = eventTopic("Transfer(address,address,uint256)");
    static final byte[] APPROVAL_TOPIC = eventTopic("Approval(address,address,uint256)");
    static final byte[] APPROVAL_FOR_ALL_TOPIC = eventTopic("ApprovalForAll(address,address,bool)");
    static final byte[] TRANSFER_SINGLE_TOPIC = eventTopic("TransferSingle(address,address,address,uint256,uint256)");
    static final byte[] TRANSFER_BATCH_TOPIC = eventTopic("TransferBatch(address,address,address,uint256[],uint256[])");
    static final byte[] PERMIT2_APPROVAL_TOPIC = eventTopic("Approval(address,address,address,uint160,uint48)");
    static final byte[] PERMIT2_PERMIT_TOPIC = eventTopic("Permit(address,address,address,uint160,uint48,uint48)");
    static final byte[] PERMIT2_LOCKDOWN_TOPIC = eventTopic("Lockdown(address,address,address)");
    static final byte[] ERC6909_TRANSFER_TOPIC = eventTopic("Transfer(address,address,address,uint256,uint256)");
    static final byte[] ERC6909_OPERATOR_SET_TOPIC = eventTopic("OperatorSet(address,address,bool)");
    static final byte[] ERC777_AUTHORIZED_OPERATOR_TOPIC = eventTopic("AuthorizedOperator(address,address)");
    static final byte[] ERC777_REVOKED_OPERATOR_TOPIC = eventTopic("RevokedOperator(address,address)");
    /** How an anonymous log (no topics) is named among unknown events. */
    static final String ANONYMOUS = "0x" + "0".repeat(64);

    private static final Set<String> VALUE_MOVING_FRAMES = Set.of("CALL", "CREATE", "CREATE2", "SELFDESTRUCT");
    private static final Set<String> OTHER_FRAMES = Set.of("STATICCALL", "DELEGATECALL", "CALLCODE");
    private static final Set<String> CREATE_FRAMES = Set.of("CREATE", "CREATE2");

    private final AssetRegistry assets;
    private final Optional<Address> permit2;

    /**
     * @param permit2 the chain's Permit2 contract: only its Permit2 events are allowances (any contract can
     *     emit a look-alike {@code Lockdown} that would otherwise seem to revoke an allowance); absent, every
     *     Permit2-shaped event is an unknown event
     */
    CallTraceDecoder(AssetRegistry assets, Optional<Address> permit2) {
        this.assets = Objects.requireNonNull(assets, "assets");
        this.permit2 = Objects.requireNonNull(permit2, "permit2");
    }

    /** The account code runs in, who called it ({@code msg.sender}), and how deep (1: the wallet's callee). */
    private record Context(Address account, Address sender, int depth) {}

    /** What the walk collects, with the counts the caps bound. */
    private static final class Walk {
        final List<Effect> effects = new ArrayList<>();
        final Set<Address> touched = new LinkedHashSet<>();
        int frames;
        int logs;

        void touch(Address address) {
            touched.add(address);
            if (touched.size() > MAX_TOUCHED) {
                throw new TooLarge("more than " + MAX_TOUCHED + " addresses");
            }
        }
    }

    /** A trace larger than Guardian judges. */
    private static final class TooLarge extends RuntimeException {
        TooLarge(String what) {
            super(what, null, false, false);
        }
    }

    Simulation decode(JsonNode trace) {
        try {
            if (trace == null || !trace.isObject()) {
                throw new MalformedTraceException("the call trace is not a JSON object");
            }
            BigInteger gasUsed = quantity(trace, "gasUsed");
            if (gasUsed.bitLength() > 63) {
                throw new MalformedTraceException("'gasUsed' is out of range: 0x" + gasUsed.toString(16));
            }
            if (trace.hasNonNull("error")) {
                return new Simulation.Reverted(revertReason(trace));
            }
            Walk walk = new Walk();
            walk(trace, null, false, walk);
            return new Simulation.Succeeded(new SimulatedEffects(walk.effects, walk.touched), gasUsed.longValueExact());
        } catch (MalformedTraceException e) {
            return new Simulation.Undecodable("the simulation's call trace cannot be read: " + e.getMessage());
        } catch (TooLarge e) {
            return new Simulation.Undecodable(
                    "the simulation's call trace has " + e.getMessage() + "; Guardian judges no call that large");
        }
    }

    private void walk(JsonNode frame, Context parent, boolean rolledBack, Walk walk) {
        if (!frame.isObject()) {
            throw new MalformedTraceException("a call frame is not a JSON object");
        }
        if (++walk.frames > MAX_FRAMES) {
            throw new TooLarge("more than " + MAX_FRAMES + " call frames");
        }
        String type = string(frame, "type");
        if (!VALUE_MOVING_FRAMES.contains(type) && !OTHER_FRAMES.contains(type)) {
            throw new MalformedTraceException("unknown call frame type " + type);
        }
        boolean failed = rolledBack || frame.hasNonNull("error");
        Address from = address(frame, "from");
        walk.touch(from);
        // A CREATE that failed has no address to report; every other frame names its callee.
        Address to = CREATE_FRAMES.contains(type) && failed && !frame.hasNonNull("to") ? null : address(frame, "to");
        if (to != null) {
            walk.touch(to);
        }
        Context context = switch (type) {
            // Runs the callee's code in the calling context: same account, same msg.sender, same depth.
            case "DELEGATECALL" -> parent == null ? new Context(from, from, 1) : parent;
            // Runs the callee's code in the caller's own account, called by the caller.
            case "CALLCODE" -> new Context(from, from, parent == null ? 1 : parent.depth() + 1);
            default -> new Context(to == null ? from : to, from, parent == null ? 1 : parent.depth() + 1);
        };
        if (!failed && VALUE_MOVING_FRAMES.contains(type) && frame.hasNonNull("value")) {
            BigInteger wei = quantity(frame, "value");
            if (wei.signum() > 0) {
                walk.effects.add(new Transfer(new TokenAmount(assets.nativeAsset(), wei), from, to));
            }
        }

        List<JsonNode> calls = array(frame, "calls");
        List<JsonNode> logs = array(frame, "logs");
        // callTracer gives each log the number of sub-calls its frame had made when it was emitted
        // ("position"); interleaving on it keeps the effects in the order they happened.
        int nextLog = 0;
        for (int call = 0; call <= calls.size(); call++) {
            while (nextLog < logs.size() && position(logs.get(nextLog), calls.size()) <= call) {
                decodeLog(logs.get(nextLog++), context, failed, walk);
            }
            if (call < calls.size()) {
                walk(calls.get(call), context, failed, walk);
            }
        }
        while (nextLog < logs.size()) {
            decodeLog(logs.get(nextLog++), context, failed, walk);
        }
    }

    private void decodeLog(JsonNode log, Context context, boolean rolledBack, Walk walk) {
        if (!log.isObject()) {
            throw new MalformedTraceException("a log is not a JSON object");
        }
        if (++walk.logs > MAX_LOGS) {
            throw new TooLarge("more than " + MAX_LOGS + " logs");
        }
        List<Effect> effects = walk.effects;
        Address emitter = address(log, "address");
        walk.touch(emitter);
        List<byte[]> topics = new ArrayList<>();
        for (JsonNode topic : array(log, "topics")) {
            byte[] bytes = hexBytes(topic, "log topic");
            if (bytes.length != 32) {
                throw new MalformedTraceException(
                        "a log topic of " + emitter + " is " + bytes.length + " bytes, not 32");
            }
            topics.add(bytes);
        }
        byte[] data = hexBytes(log.get("data"), "log data");
        if (rolledBack) {
            return; // rolled back with its frame
        }
        if (topics.isEmpty()) {
            effects.add(new UnknownEvent(emitter, ANONYMOUS, context.depth()));
            return;
        }
        byte[] signature = topics.getFirst();
        if (Arrays.equals(signature, TRANSFER_TOPIC)) {
            requireTopics(topics, emitter, "Transfer");
            Address from = topicAddress(topics.get(1), emitter);
            Address to = topicAddress(topics.get(2), emitter);
            effects.add(new Transfer(
                    movedAmount(topics, data, emitter, "Transfer"), from, to, Optional.of(context.sender())));
        } else if (Arrays.equals(signature, APPROVAL_TOPIC)) {
            requireTopics(topics, emitter, "Approval");
            Address owner = topicAddress(topics.get(1), emitter);
            Address spender = topicAddress(topics.get(2), emitter);
            effects.add(new Approval(movedAmount(topics, data, emitter, "Approval"), owner, spender));
        } else if (Arrays.equals(signature, TRANSFER_SINGLE_TOPIC) || Arrays.equals(signature, TRANSFER_BATCH_TOPIC)) {
            boolean single = Arrays.equals(signature, TRANSFER_SINGLE_TOPIC);
            String event = single ? "TransferSingle" : "TransferBatch";
            requireShape(topics, 4, data, -1, emitter, event);
            BigInteger moved = single ? singleValue(data, emitter) : batchValues(data, emitter);
            effects.add(new Transfer(
                    new TokenAmount(new Asset.UnknownToken(emitter), moved),
                    topicAddress(topics.get(2), emitter),
                    topicAddress(topics.get(3), emitter),
                    Optional.of(topicAddress(topics.get(1), emitter))));
        } else if (Arrays.equals(signature, ERC6909_TRANSFER_TOPIC)) {
            requireShape(topics, 4, data, 64, emitter, "Transfer (ERC-6909)");
            effects.add(new Transfer(
                    new TokenAmount(new Asset.UnknownToken(emitter), word(data, 1)),
                    topicAddress(topics.get(1), emitter),
                    topicAddress(topics.get(2), emitter),
                    Optional.of(dataAddress(data, 0, emitter))));
        } else if (Arrays.equals(signature, APPROVAL_FOR_ALL_TOPIC)
                || Arrays.equals(signature, ERC6909_OPERATOR_SET_TOPIC)) {
            requireShape(topics, 3, data, 32, emitter, "an operator grant");
            effects.add(operator(
                    emitter,
                    topicAddress(topics.get(1), emitter),
                    topicAddress(topics.get(2), emitter),
                    word(data, 0).signum() != 0));
        } else if (Arrays.equals(signature, ERC777_AUTHORIZED_OPERATOR_TOPIC)
                || Arrays.equals(signature, ERC777_REVOKED_OPERATOR_TOPIC)) {
            requireShape(topics, 3, data, 0, emitter, "an ERC-777 operator change");
            effects.add(operator(
                    emitter,
                    topicAddress(topics.get(2), emitter),
                    topicAddress(topics.get(1), emitter),
                    Arrays.equals(signature, ERC777_AUTHORIZED_OPERATOR_TOPIC)));
        } else if (isPermit2Event(signature) && !permit2.equals(Optional.of(emitter))) {
            effects.add(new UnknownEvent(emitter, Hex.encode(signature), context.depth()));
        } else if (Arrays.equals(signature, PERMIT2_APPROVAL_TOPIC) || Arrays.equals(signature, PERMIT2_PERMIT_TOPIC)) {
            boolean permit = Arrays.equals(signature, PERMIT2_PERMIT_TOPIC);
            requireShape(
                    topics, 4, data, permit ? 96 : 64, emitter, permit ? "Permit (Permit2)" : "Approval (Permit2)");
            Address token = topicAddress(topics.get(2), emitter);
            effects.add(new Approval(
                    new TokenAmount(assets.token(token), word(data, 0)),
                    topicAddress(topics.get(1), emitter),
                    topicAddress(topics.get(3), emitter),
                    Approval.Kind.PERMIT2));
        } else if (Arrays.equals(signature, PERMIT2_LOCKDOWN_TOPIC)) {
            requireShape(topics, 2, data, 64, emitter, "Lockdown (Permit2)");
            effects.add(new Approval(
                    TokenAmount.zero(assets.token(dataAddress(data, 0, emitter))),
                    topicAddress(topics.get(1), emitter),
                    dataAddress(data, 1, emitter),
                    Approval.Kind.PERMIT2));
        } else {
            effects.add(new UnknownEvent(emitter, Hex.encode(signature), context.depth()));
        }
    }

    private static boolean isPermit2Event(byte[] signature) {
        return Arrays.equals(signature, PERMIT2_APPROVAL_TOPIC)
                || Arrays.equals(signature, PERMIT2_PERMIT_TOPIC)
                || Arrays.equals(signature, PERMIT2_LOCKDOWN_TOPIC);
    }

    /** An operator of all of {@code owner}'s tokens of {@code token}: an unlimited allowance, or its revocation. */
    private static Approval operator(Address token, Address owner, Address operator, boolean granted) {
        Asset.UnknownToken asset = new Asset.UnknownToken(token);
        return new Approval(
                granted ? new TokenAmount(asset, TokenAmount.MAX_UINT256) : TokenAmount.zero(asset),
                owner,
                operator,
                Approval.Kind.OPERATOR);
    }

    private static void requireShape(
            List<byte[]> topics, int topicCount, byte[] data, int dataLength, Address emitter, String event) {
        if (topics.size() != topicCount || (dataLength >= 0 && data.length != dataLength)) {
            throw new MalformedTraceException(event + " log of " + emitter + " has " + topics.size() + " topics and "
                    + data.length + " data bytes; expected " + topicCount + " and "
                    + (dataLength >= 0 ? dataLength : "any"));
        }
    }

    /** The {@code index}-th 32-byte word of a log's data as an unsigned number. */
    private static BigInteger word(byte[] data, int index) {
        return new BigInteger(1, Arrays.copyOfRange(data, 32 * index, 32 * index + 32));
    }

    /** The {@code index}-th word of a log's data, which must hold an address. */
    private static Address dataAddress(byte[] data, int index, Address emitter) {
        return topicAddress(Arrays.copyOfRange(data, 32 * index, 32 * index + 32), emitter);
    }

    /** TransferSingle's data: the id, then the value. */
    private static BigInteger singleValue(byte[] data, Address emitter) {
        if (data.length != 64) {
            throw new MalformedTraceException(
                    "TransferSingle log of " + emitter + " has " + data.length + " data bytes; expected 64");
        }
        return new BigInteger(1, Arrays.copyOfRange(data, 32, 64));
    }

    /** TransferBatch's data: two ABI-encoded uint256 arrays (ids, values); the sum of the values. */
    private static BigInteger batchValues(byte[] data, Address emitter) {
        int valuesAt = abiOffset(data, 32, emitter);
        int count = abiOffset(data, valuesAt, emitter);
        if (count > (data.length - valuesAt - 32) / 32) {
            throw new MalformedTraceException(
                    "TransferBatch log of " + emitter + " claims more values than its data holds");
        }
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < count; i++) {
            int at = valuesAt + 32 + 32 * i;
            sum = sum.add(new BigInteger(1, Arrays.copyOfRange(data, at, at + 32)));
        }
        if (sum.compareTo(TokenAmount.MAX_UINT256) > 0) {
            throw new MalformedTraceException(
                    "TransferBatch log of " + emitter + " moves more than 2^256-1 units in all");
        }
        return sum;
    }

    /** A word of ABI data read as an offset or length that must point inside the data. */
    private static int abiOffset(byte[] data, int wordAt, Address emitter) {
        if (wordAt < 0 || wordAt + 32 > data.length) {
            throw new MalformedTraceException("TransferBatch log of " + emitter + " is too short for its ABI encoding");
        }
        BigInteger value = new BigInteger(1, Arrays.copyOfRange(data, wordAt, wordAt + 32));
        if (value.compareTo(BigInteger.valueOf(data.length)) > 0) {
            throw new MalformedTraceException("TransferBatch log of " + emitter + " has an offset beyond its data");
        }
        return value.intValueExact();
    }

    private static void requireTopics(List<byte[]> topics, Address emitter, String event) {
        if (topics.size() != 3 && topics.size() != 4) {
            throw new MalformedTraceException(
                    event + " log of " + emitter + " has " + topics.size() + " topics; ERC-20 has 3 and ERC-721 has 4");
        }
    }

    /** ERC-20 (3 topics): the uint256 in the data. ERC-721 (4 topics): one token of an unknown kind. */
    private TokenAmount movedAmount(List<byte[]> topics, byte[] data, Address emitter, String event) {
        if (topics.size() == 4) {
            return TokenAmount.ofUnits(new Asset.UnknownToken(emitter), 1);
        }
        if (data.length != 32) {
            throw new MalformedTraceException(
                    event + " log of " + emitter + " has " + data.length + " data bytes; an ERC-20 amount is 32");
        }
        return new TokenAmount(assets.token(emitter), new BigInteger(1, data));
    }

    private static Address topicAddress(byte[] topic, Address emitter) {
        for (int i = 0; i < 12; i++) {
            if (topic[i] != 0) {
                throw new MalformedTraceException("an address topic of " + emitter + " has non-zero upper bytes");
            }
        }
        return Address.of(Arrays.copyOfRange(topic, 12, 32));
    }

    private static String revertReason(JsonNode frame) {
        JsonNode output = frame.get("output");
        if (output != null && !output.isNull()) {
            byte[] data = hexBytes(output, "revert output");
            if (data.length > 0) {
                return RevertReasons.describe(data);
            }
        }
        String error = string(frame, "error");
        // "execution reverted" with no data is a bare revert(); anything else (out of gas, invalid opcode)
        // is the node's description of a failure that carries no revert data.
        return "execution reverted".equalsIgnoreCase(error)
                ? RevertReasons.WITHOUT_REASON
                : RevertReasons.sanitize(error);
    }

    private static int position(JsonNode log, int callCount) {
        JsonNode position = log.get("position");
        if (position == null || position.isNull()) {
            return callCount;
        }
        return quantity(log, "position").min(BigInteger.valueOf(callCount)).intValueExact();
    }

    private static List<JsonNode> array(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new MalformedTraceException("'" + field + "' is not an array");
        }
        List<JsonNode> items = new ArrayList<>(value.size());
        value.forEach(items::add);
        return items;
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new MalformedTraceException("'" + field + "' is missing or not a string");
        }
        return value.stringValue();
    }

    private static Address address(JsonNode node, String field) {
        String text = string(node, field);
        try {
            return Address.parseLenient(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedTraceException("'" + field + "' is not an address: " + RevertReasons.sanitize(text), e);
        }
    }

    static BigInteger quantity(JsonNode node, String field) {
        String text = string(node, field);
        return HexQuantity.parse(text)
                .orElseThrow(() -> new MalformedTraceException(
                        "'" + field + "' is not a hex quantity: " + RevertReasons.sanitize(text)));
    }

    private static byte[] hexBytes(JsonNode value, String what) {
        if (value == null || !value.isString()) {
            throw new MalformedTraceException(what + " is missing or not a string");
        }
        String text = value.stringValue();
        if (!text.startsWith("0x") && !text.startsWith("0X")) {
            throw new MalformedTraceException(what + " does not start with 0x");
        }
        try {
            return Hex.decode(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedTraceException(what + " is not valid hex: " + e.getMessage(), e);
        }
    }

    private static byte[] eventTopic(String signature) {
        return Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII));
    }
}
