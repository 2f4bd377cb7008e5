package dev.guardian.service.chain;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.rules.Selector;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Guardian's only way to the chain. Plain Java (the service wires it); thread-safe.
 *
 * <p>Resilience: every read passes retry, then circuit breaker, then bulkhead; a raw transaction passes
 * circuit breaker and bulkhead only, because resending a transaction is the nonce manager's decision,
 * never a transport's. Only failures to reach the chain ({@link ChainUnavailableException}) count against
 * the breaker; a node that answers with an error is reachable. Only I/O failures and timeouts are retried,
 * never a JSON-RPC error answer (asking again gets the same answer). When the breaker is open, calls fail
 * at once with a {@link ChainUnavailableException} whose message starts with "chain circuit open".
 *
 * <p>Reverts: {@link #simulate} returns them as {@link Simulation.Reverted}; {@link #estimateGas}, which
 * has no such value to return, throws {@link SimulationRevertedException}. Neither is an outage.
 */
public final class ChainAdapter {
    /** Gas allowed to a simulated call: generous, so that simulating needs no estimate first; below common RPC caps. */
    static final BigInteger SIMULATION_GAS_CAP = BigInteger.valueOf(30_000_000);

    private static final String BALANCE_OF_SELECTOR = "70a08231";
    private static final String TRANSFER_TOPIC_HEX = Hex.encode(CallTraceDecoder.TRANSFER_TOPIC);
    private static final byte[] ALLOWANCE =
            Selector.ofSignature("allowance(address,address)").toBytes();
    private static final byte[] PERMIT2_ALLOWANCE =
            Selector.ofSignature("allowance(address,address,address)").toBytes();
    private static final byte[] L1_FEE_UPPER_BOUND =
            Selector.ofSignature("getL1FeeUpperBound(uint256)").toBytes();
    /** {@code isSanctioned(address)} of Chainalysis' sanctions oracle (and any contract with its interface). */
    static final String IS_SANCTIONED_SELECTOR = "df592f7d";

    /** The tracer simulation needs: the call tree with every frame's logs (the readiness probe asks for the same). */
    static final Map<String, Object> CALL_TRACER =
            Map.of("tracer", "callTracer", "tracerConfig", Map.of("withLog", true));

    private static final int JSON_RPC_EXECUTION_ERROR = 3;

    private final JsonRpcChannel rpc;
    private final ChainId chainId;
    private final AssetRegistry assets;
    private final CallTraceDecoder decoder;
    private final CircuitBreaker circuitBreaker;
    private final Retry readRetry;
    private final Bulkhead bulkhead;
    private final Clock clock;

    public ChainAdapter(Web3j web3j, ChainId chainId, AssetRegistry assets, ChainResilienceSettings settings) {
        this(web3j, chainId, assets, ChainContracts.none(), settings, Clock.systemUTC());
    }

    public ChainAdapter(
            Web3j web3j,
            ChainId chainId,
            AssetRegistry assets,
            ChainContracts contracts,
            ChainResilienceSettings settings,
            Clock clock) {
        this.rpc = new JsonRpcChannel(web3j);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.chainId = Objects.requireNonNull(chainId, "chainId");
        this.assets = Objects.requireNonNull(assets, "assets");
        Objects.requireNonNull(settings, "settings");
        this.decoder = new CallTraceDecoder(assets, contracts.permit2());
        this.circuitBreaker = CircuitBreaker.of(
                "chain",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(settings.slidingWindowSize())
                        .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                        .failureRateThreshold(settings.failureRateThreshold())
                        .waitDurationInOpenState(settings.openStateWait())
                        // Half-open after the wait even if nothing calls: readiness is DOWN while the breaker
                        // is open, so a load balancer stops sending requests, and without this nothing would
                        // ever call again to let the breaker close.
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .permittedNumberOfCallsInHalfOpenState(Math.min(3, settings.minimumNumberOfCalls()))
                        .recordException(e -> e instanceof ChainUnavailableException)
                        .build());
        this.readRetry = Retry.of(
                "chain-reads",
                RetryConfig.custom()
                        .maxAttempts(settings.readAttempts())
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(settings.readBackoff(), 2.0))
                        .retryOnException(ChainAdapter::isTransientFailure)
                        .build());
        this.bulkhead = Bulkhead.of(
                "chain",
                BulkheadConfig.custom()
                        .maxConcurrentCalls(settings.maxConcurrentCalls())
                        .maxWaitDuration(settings.callTimeout())
                        .build());
    }

    /**
     * A Web3j over HTTP(S) whose every call is bounded by {@code callTimeout} (connect, read, write and the
     * call as a whole). OkHttp's silent retry on connection failure is off: it would resend an
     * {@code eth_sendRawTransaction} behind Guardian's back. Idle connections are dropped after 30 s, before
     * typical load-balancer idle timeouts close them under a request.
     */
    public static Web3j connect(URI rpcUrl, Duration callTimeout) {
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(callTimeout, "callTimeout");
        String scheme = rpcUrl.getScheme() == null ? "" : rpcUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    "the chain RPC URL must be http or https, was " + (scheme.isEmpty() ? "without a scheme" : scheme));
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive");
        }
        OkHttpClient client = new OkHttpClient.Builder()
                .connectTimeout(callTimeout)
                .readTimeout(callTimeout)
                .writeTimeout(callTimeout)
                .callTimeout(callTimeout)
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(16, 30, TimeUnit.SECONDS))
                .build();
        return new JsonRpcChannel.TransportExposingWeb3j(new HttpService(rpcUrl.toString(), client, false));
    }

    /** The hash a node will give this signed transaction: keccak256 of its raw bytes (typed envelope included). */
    public static TxHash transactionHash(byte[] rawTransaction) {
        return TxHash.of(Keccak256.hash(rawTransaction));
    }

    public ChainId chainId() {
        return chainId;
    }

    /** For health indicators and metrics; do not drive it by hand. */
    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** Throws {@link IllegalStateException} naming both ids when the node serves another chain than configured. */
    public void verifyChainId() {
        BigInteger served = read("eth_chainId", () -> quantity("eth_chainId", resultOf("eth_chainId", List.of())));
        if (!served.equals(BigInteger.valueOf(chainId.value()))) {
            throw new IllegalStateException("the chain RPC endpoint serves chain id " + served
                    + " but Guardian is configured for chain id " + chainId + "; refusing to work on the wrong chain");
        }
    }

    /**
     * Runs the call exactly as it will be signed ({@code fields}: gas limit, fee caps, nonce) against the
     * next block ({@code next}: number, timestamp and base fee as block overrides on the latest state) with
     * {@code debug_traceCall} and the call tracer, and decodes what it would do. A contract that behaves
     * differently under a zero gas price, a huge gas cap or the latest block's number sees here what it
     * will see on chain. A node that refuses to execute the call (revert, insufficient funds for gas and
     * value, a max fee below the base fee) gives a {@link Simulation.Reverted}; a trace Guardian cannot read
     * gives {@link Simulation.Undecodable}.
     */
    public Simulation simulate(ContractCall call, SigningFields fields, NextBlock next) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(next, "next");
        Map<String, Object> tx = callObject(call, BigInteger.valueOf(fields.gasLimit()));
        tx.put("maxFeePerGas", hex(fields.maxFeePerGasWei()));
        tx.put("maxPriorityFeePerGas", hex(fields.maxPriorityFeePerGasWei()));
        fields.nonce().ifPresent(nonce -> tx.put("nonce", hex(BigInteger.valueOf(nonce))));
        Map<String, Object> tracing = new LinkedHashMap<>(CALL_TRACER);
        tracing.put(
                "blockOverrides",
                Map.of(
                        "number", hex(BigInteger.valueOf(next.number())),
                        "time", hex(BigInteger.valueOf(next.timestamp())),
                        "baseFee", hex(next.baseFeeWei())));
        return trace("debug_traceCall", List.of(tx, "latest", tracing), true);
    }

    /**
     * The call simulated against the next block with the chain's current fee caps and a generous gas
     * limit: for tests and tools that have no transaction to sign. The request path uses
     * {@link #simulate(ContractCall, SigningFields, NextBlock)}.
     */
    Simulation simulate(ContractCall call) {
        NextBlock next = nextBlock();
        FeeQuote fees = fees(next);
        return simulate(
                call,
                new SigningFields(
                        SIMULATION_GAS_CAP.longValueExact(),
                        fees.maxFeePerGasWei(),
                        fees.maxPriorityFeePerGasWei(),
                        OptionalLong.empty()),
                next);
    }

    /**
     * What a mined transaction did, decoded by the same decoder as its simulation: its executed call tree
     * ({@code debug_traceTransaction} with the call tracer). A {@link Simulation.Reverted} is a transaction
     * that reverted on chain.
     */
    public Simulation executed(TxHash hash) {
        Objects.requireNonNull(hash, "hash");
        return trace("debug_traceTransaction", List.of(hash.toString(), CALL_TRACER), false);
    }

    /**
     * @param refusalIsRevert whether an error answer means the call would not execute (a simulation's
     *     revert), rather than a node that cannot trace a mined transaction (a configuration problem)
     */
    private Simulation trace(String method, List<Object> params, boolean refusalIsRevert) {
        return read(method, () -> {
            JsonRpcChannel.Answer answer = exchange(method, params);
            if (answer.failed() && refusalIsRevert) {
                return new Simulation.Reverted(refusalReason(method, answer.error()));
            }
            if (answer.failed()) {
                throw new ChainRequestFailedException(
                        method + " failed: " + nodeMessage(answer.error()),
                        answer.error().getCode());
            }
            if (answer.result() == null) {
                throw new ChainUnavailableException(method + " answered null instead of a call trace");
            }
            // A trace Guardian cannot read is that request's denial (Simulation.Undecodable), not a chain
            // outage: it must not open the circuit breaker that every agent shares.
            return decoder.decode(answer.result());
        });
    }

    /**
     * The next block, as {@link NextBlock} describes: the latest block's number and timestamp, and the base
     * fee {@code eth_feeHistory} gives for the block after it (the node applies its chain's own EIP-1559
     * parameters, which differ on OP Stack chains).
     */
    public NextBlock nextBlock() {
        JsonNode block = read("eth_getBlockByNumber", () -> {
            JsonNode latest = resultOf("eth_getBlockByNumber", List.of("latest", false));
            if (latest == null || !latest.isObject() || !latest.hasNonNull("baseFeePerGas")) {
                throw new ChainUnavailableException(
                        "eth_getBlockByNumber(latest) answered without baseFeePerGas; the chain must support EIP-1559");
            }
            return latest;
        });
        long number = longQuantity("eth_getBlockByNumber number", block.get("number"));
        long timestamp = longQuantity("eth_getBlockByNumber timestamp", block.get("timestamp"));
        BigInteger nextBaseFee = read("eth_feeHistory", () -> {
            JsonNode history = resultOf("eth_feeHistory", List.of("0x1", hex(BigInteger.valueOf(number)), List.of()));
            JsonNode fees = history == null ? null : history.get("baseFeePerGas");
            if (fees == null || !fees.isArray() || fees.size() < 2) {
                throw new ChainUnavailableException("eth_feeHistory answered without the next block's base fee");
            }
            return quantity("eth_feeHistory baseFeePerGas", fees.get(fees.size() - 1));
        });
        long now = clock.instant().getEpochSecond();
        return new NextBlock(Math.addExact(number, 1), Math.max(Math.addExact(timestamp, 1), now), nextBaseFee);
    }

    /** {@code eth_estimateGas} at the latest block; throws {@link SimulationRevertedException} when the call would revert. */
    public long estimateGas(ContractCall call) {
        Objects.requireNonNull(call, "call");
        // On the latest block, as the simulation runs: a node's default may be "pending", whose state (the
        // wallet's own transactions not yet mined) the simulation does not see, and the two would disagree.
        List<Object> params = List.of(callObject(call, null), "latest");
        return read("eth_estimateGas", () -> {
            JsonRpcChannel.Answer answer = exchange("eth_estimateGas", params);
            if (answer.failed()) {
                throw new SimulationRevertedException(refusalReason("eth_estimateGas", answer.error()));
            }
            return longQuantity("eth_estimateGas", answer.result());
        });
    }

    /** EIP-1559 caps for the next block: tip = {@code eth_maxPriorityFeePerGas}, max fee = 2 x its base fee + tip. */
    public FeeQuote fees() {
        return fees(nextBlock());
    }

    /** EIP-1559 caps for {@code next}: tip = {@code eth_maxPriorityFeePerGas}, max fee = 2 x its base fee + tip. */
    public FeeQuote fees(NextBlock next) {
        BigInteger tip = read(
                "eth_maxPriorityFeePerGas",
                () -> quantity("eth_maxPriorityFeePerGas", resultOf("eth_maxPriorityFeePerGas", List.of())));
        return new FeeQuote(next.baseFeeWei().shiftLeft(1).add(tip), tip);
    }

    /** {@code eth_getTransactionCount(address, block)}: how many transactions it had sent by the end of that block. */
    public long nonceAt(Address address, long block) {
        Objects.requireNonNull(address, "address");
        return read(
                "eth_getTransactionCount",
                () -> longQuantity(
                        "eth_getTransactionCount",
                        resultOf(
                                "eth_getTransactionCount",
                                List.of(address.toLowerHex(), hex(BigInteger.valueOf(block))))));
    }

    /** {@code eth_getTransactionCount(address, "pending")}: the next nonce counting transactions not yet mined. */
    public long pendingNonce(Address address) {
        Objects.requireNonNull(address, "address");
        return read(
                "eth_getTransactionCount",
                () -> longQuantity(
                        "eth_getTransactionCount",
                        resultOf("eth_getTransactionCount", List.of(address.toLowerHex(), "pending"))));
    }

    /** {@code eth_blockNumber}: the number of the latest block. */
    public long blockNumber() {
        return read("eth_blockNumber", () -> longQuantity("eth_blockNumber", resultOf("eth_blockNumber", List.of())));
    }

    /**
     * {@code eth_getTransactionCount(address, "latest")}: how many of the address's transactions are in the
     * latest block and before it. Once this has passed a nonce, some transaction with that nonce was mined.
     */
    public long confirmedNonce(Address address) {
        Objects.requireNonNull(address, "address");
        return read(
                "eth_getTransactionCount",
                () -> longQuantity(
                        "eth_getTransactionCount",
                        resultOf("eth_getTransactionCount", List.of(address.toLowerHex(), "latest"))));
    }

    /**
     * Broadcasts a signed transaction, once. Never retried here: after a timeout the transaction may well be
     * in the pool, and only the nonce manager may decide to resend. Throws {@link TransactionRejectedException}
     * when the node refuses it, {@link ChainUnavailableException} when it could not be sent or its fate is
     * unknown ({@link ChainUnavailableException#mayHaveReachedNode()} tells which).
     */
    public TxHash sendRawTransaction(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw new IllegalArgumentException("a raw transaction is needed");
        }
        TxHash expected = transactionHash(raw);
        List<Object> params = List.of(Hex.encode(raw));
        try {
            return write("eth_sendRawTransaction", () -> {
                JsonRpcChannel.Answer answer = exchange("eth_sendRawTransaction", params);
                if (answer.failed()) {
                    throw new TransactionRejectedException(
                            nodeMessage(answer.error()), answer.error().getCode());
                }
                TxHash answered = txHash("eth_sendRawTransaction", answer.result());
                if (!answered.equals(expected)) {
                    throw new ChainUnavailableException("eth_sendRawTransaction answered hash " + answered
                            + " for a transaction whose hash is " + expected);
                }
                return answered;
            });
        } catch (ChainUnavailableException e) {
            throw new ChainUnavailableException(
                    "transaction " + expected
                            + (e.mayHaveReachedNode()
                                    ? " may have reached the node (outcome unknown): "
                                    : " was not sent: ")
                            + e.getMessage(),
                    e,
                    e.mayHaveReachedNode());
        }
    }

    /** The receipt of a mined transaction, or empty while it is pending or unknown to the node. */
    public Optional<TxReceipt> receipt(TxHash hash) {
        Objects.requireNonNull(hash, "hash");
        return read("eth_getTransactionReceipt", () -> {
            JsonNode receipt = resultOf("eth_getTransactionReceipt", List.of(hash.toString()));
            if (receipt == null) {
                return Optional.empty();
            }
            if (!receipt.isObject()
                    || !hash.equals(txHash("eth_getTransactionReceipt", receipt.get("transactionHash")))) {
                throw new ChainUnavailableException(
                        "eth_getTransactionReceipt answered a receipt for another transaction");
            }
            BigInteger status = quantity("eth_getTransactionReceipt status", receipt.get("status"));
            if (status.compareTo(BigInteger.ONE) > 0) {
                throw new ChainUnavailableException(
                        "eth_getTransactionReceipt answered status " + status + " (neither 0 nor 1)");
            }
            long gasUsed = longQuantity("eth_getTransactionReceipt gasUsed", receipt.get("gasUsed"));
            BigInteger price =
                    quantity("eth_getTransactionReceipt effectiveGasPrice", receipt.get("effectiveGasPrice"));
            // OP Stack chains (Base) report the L1 data fee the transaction paid on top of its gas.
            BigInteger l1Fee = receipt.hasNonNull("l1Fee")
                    ? quantity("eth_getTransactionReceipt l1Fee", receipt.get("l1Fee"))
                    : BigInteger.ZERO;
            return Optional.of(new TxReceipt(
                    hash,
                    status.equals(BigInteger.ONE),
                    longQuantity("eth_getTransactionReceipt blockNumber", receipt.get("blockNumber")),
                    gasUsed,
                    price.multiply(BigInteger.valueOf(gasUsed)).add(l1Fee)));
        });
    }

    /** The code at {@code address} at the latest block: empty for an account without code. */
    public byte[] code(Address address) {
        Objects.requireNonNull(address, "address");
        return read("eth_getCode", () -> {
            JsonNode result = resultOf("eth_getCode", List.of(address.toLowerHex(), "latest"));
            if (result == null || !result.isString()) {
                throw new ChainUnavailableException(
                        "eth_getCode answered " + (result == null ? "null" : "a non-string"));
            }
            try {
                return Hex.decode(result.stringValue());
            } catch (IllegalArgumentException e) {
                throw new ChainUnavailableException("eth_getCode answered invalid hex", e);
            }
        });
    }

    /** ERC-20 {@code allowance(owner, spender)} of {@code token} at the latest block. */
    public BigInteger allowance(Address token, Address owner, Address spender) {
        return wordCall(token, ALLOWANCE, owner, spender);
    }

    /**
     * The amount Permit2 (at {@code permit2}) lets {@code spender} move of {@code owner}'s {@code token}:
     * {@code allowance(owner, token, spender)}'s first value, or zero once its expiration has passed.
     */
    public BigInteger permit2Allowance(Address permit2, Address owner, Address token, Address spender) {
        byte[] answer = call(permit2, PERMIT2_ALLOWANCE, 96, owner, token, spender);
        BigInteger amount = new BigInteger(1, Arrays.copyOfRange(answer, 0, 32));
        BigInteger expiration = new BigInteger(1, Arrays.copyOfRange(answer, 32, 64));
        BigInteger now = BigInteger.valueOf(System.currentTimeMillis() / 1000);
        return expiration.compareTo(now) < 0 ? BigInteger.ZERO : amount;
    }

    /**
     * The most the L1 data fee can be for a transaction whose unsigned encoding is at most
     * {@code unsignedSize} bytes, from an OP Stack {@code GasPriceOracle} ({@code getL1FeeUpperBound}).
     */
    public BigInteger l1FeeUpperBound(Address oracle, int unsignedSize) {
        byte[] data = new byte[4 + 32];
        System.arraycopy(L1_FEE_UPPER_BOUND, 0, data, 0, 4);
        byte[] size = BigInteger.valueOf(unsignedSize).toByteArray();
        System.arraycopy(size, 0, data, 36 - size.length, size.length);
        return new BigInteger(1, call(oracle, data, 32));
    }

    /** A view call with address arguments whose answer is one uint256. */
    private BigInteger wordCall(Address contract, byte[] selector, Address... arguments) {
        return new BigInteger(1, call(contract, selector, 32, arguments));
    }

    private byte[] call(Address contract, byte[] selector, int answerLength, Address... arguments) {
        byte[] data = new byte[4 + 32 * arguments.length];
        System.arraycopy(selector, 0, data, 0, 4);
        for (int i = 0; i < arguments.length; i++) {
            System.arraycopy(arguments[i].toBytes(), 0, data, 4 + 32 * i + 12, 20);
        }
        return call(contract, data, answerLength);
    }

    /**
     * {@code eth_call} of {@code data} on {@code contract} at the latest block, whose answer must be at
     * least {@code answerLength} bytes; a shorter answer (no contract there, or another interface) is a
     * {@link ChainRequestFailedException}: a configuration problem, not an outage.
     */
    private byte[] call(Address contract, byte[] data, int answerLength) {
        return call(contract, data, answerLength, "latest");
    }

    private byte[] call(Address contract, byte[] data, int answerLength, String blockTag) {
        Map<String, Object> call = Map.of("to", contract.toLowerHex(), "data", Hex.encode(data));
        JsonNode result = read("eth_call", () -> resultOf("eth_call", List.of(call, blockTag)));
        byte[] answer;
        try {
            answer = result != null && result.isString() ? Hex.decode(result.stringValue()) : new byte[0];
        } catch (IllegalArgumentException e) {
            answer = new byte[0];
        }
        if (answer.length < answerLength) {
            throw new ChainRequestFailedException(
                    contract + " answered " + answer.length + " bytes instead of at least " + answerLength
                            + "; is the expected contract at that address on chain " + chainId + "?",
                    0);
        }
        return answer;
    }

    /**
     * What {@code holder} owns at the latest block: {@code eth_getBalance} for the native asset,
     * {@code balanceOf} through {@code eth_call} for a token. Throws {@link IllegalArgumentException} when
     * the token's contract does not answer {@code balanceOf} like an ERC-20.
     */
    public TokenAmount balance(Asset asset, Address holder) {
        return balance(asset, holder, "latest");
    }

    /** What {@code holder} owned at the end of block {@code block}, as {@link #balance(Asset, Address)}. */
    public TokenAmount balanceAt(Asset asset, Address holder, long block) {
        return balance(asset, holder, hex(BigInteger.valueOf(block)));
    }

    private TokenAmount balance(Asset asset, Address holder, String blockTag) {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(holder, "holder");
        return switch (asset) {
            case Asset.Native nativeAsset ->
                new TokenAmount(
                        nativeAsset,
                        read(
                                "eth_getBalance",
                                () -> quantity(
                                        "eth_getBalance",
                                        resultOf("eth_getBalance", List.of(holder.toLowerHex(), blockTag)))));
            case Asset.Erc20 token -> new TokenAmount(token, tokenBalance(token.contract(), holder, blockTag));
            case Asset.UnknownToken token -> new TokenAmount(token, tokenBalance(token.contract(), holder, blockTag));
        };
    }

    /**
     * An ERC-20 {@code Transfer} log: which transaction emitted it, in which block and at which position
     * ({@code logIndex}, unique in the block), to whom, how much.
     */
    public record LoggedTransfer(TxHash transaction, long block, long logIndex, Address to, BigInteger units) {}

    /**
     * The ERC-20 {@code Transfer} logs of {@code token} out of {@code from} in block {@code block}
     * ({@code eth_getLogs}), whichever transaction emitted them.
     */
    public List<LoggedTransfer> transfersFrom(Address token, Address from, long block) {
        return transfersFrom(token, from, block, block);
    }

    /**
     * The ERC-20 {@code Transfer} logs of {@code token} out of {@code from} in blocks {@code fromBlock} to
     * {@code toBlock}, both included ({@code eth_getLogs}), in the chain's order. Nodes bound how many blocks
     * or logs one query may cover: callers keep the range small (a node's refusal is a
     * {@link ChainRequestFailedException}).
     */
    public List<LoggedTransfer> transfersFrom(Address token, Address from, long fromBlock, long toBlock) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(from, "from");
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException(
                    "a block range runs forwards from block 0: " + fromBlock + ".." + toBlock);
        }
        Map<String, Object> filter = Map.of(
                "fromBlock",
                hex(BigInteger.valueOf(fromBlock)),
                "toBlock",
                hex(BigInteger.valueOf(toBlock)),
                "address",
                token.toLowerHex(),
                "topics",
                List.of(
                        TRANSFER_TOPIC_HEX,
                        "0x" + "0".repeat(24) + from.toLowerHex().substring(2)));
        JsonNode logs = read("eth_getLogs", () -> resultOf("eth_getLogs", List.of(filter)));
        if (logs == null || !logs.isArray()) {
            throw new ChainUnavailableException("eth_getLogs answered something that is not a list of logs");
        }
        List<LoggedTransfer> transfers = new ArrayList<>();
        for (JsonNode log : logs) {
            JsonNode topics = log.get("topics");
            byte[] data;
            try {
                data = Hex.decode(log.path("data").asString(""));
            } catch (IllegalArgumentException e) {
                throw new ChainUnavailableException("eth_getLogs answered a log with invalid data", e);
            }
            if (topics == null || topics.size() != 3 || data.length != 32) {
                continue; // not an ERC-20 Transfer (an ERC-721 one has the id as a fourth topic)
            }
            if (log.path("removed").asBoolean(false)) {
                continue; // a log of a block that is no longer on the chain
            }
            String toTopic = topics.get(2).asString("");
            transfers.add(new LoggedTransfer(
                    txHash("eth_getLogs", log.get("transactionHash")),
                    longQuantity("eth_getLogs blockNumber", log.get("blockNumber")),
                    longQuantity("eth_getLogs logIndex", log.get("logIndex")),
                    Address.parseLenient("0x" + toTopic.substring(Math.max(0, toTopic.length() - 40))),
                    new BigInteger(1, data)));
        }
        return transfers;
    }

    /** A block's number and the time it carries ({@code block.timestamp} to the contracts it runs). */
    public record BlockTime(long number, Instant timestamp) {}

    /** The latest block's number and time. */
    public BlockTime latestBlock() {
        return block("latest");
    }

    /** Block {@code number}'s number and time. */
    public BlockTime blockAt(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("a block number is at least 0, was " + number);
        }
        BlockTime block = block(hex(BigInteger.valueOf(number)));
        if (block.number() != number) {
            throw new ChainUnavailableException(
                    "eth_getBlockByNumber(" + number + ") answered block " + block.number());
        }
        return block;
    }

    private BlockTime block(String tag) {
        JsonNode block = read("eth_getBlockByNumber", () -> {
            JsonNode found = resultOf("eth_getBlockByNumber", List.of(tag, false));
            if (found == null || !found.isObject()) {
                throw new ChainUnavailableException("eth_getBlockByNumber(" + tag + ") answered no block");
            }
            return found;
        });
        return new BlockTime(
                longQuantity("eth_getBlockByNumber number", block.get("number")),
                Instant.ofEpochSecond(longQuantity("eth_getBlockByNumber timestamp", block.get("timestamp"))));
    }

    /**
     * {@code eth_call} of {@code data} on {@code contract} at the end of block {@code block}, whose answer
     * must be at least {@code answerLength} bytes (else {@link ChainRequestFailedException}: not the expected
     * contract). Reading several answers at one block makes them agree with each other and with that block's time.
     */
    public byte[] callAt(Address contract, byte[] data, long block, int answerLength) {
        return call(contract, data, answerLength, hex(BigInteger.valueOf(block)));
    }

    /** {@code eth_call} at the latest block, as {@link #callAt}. */
    public byte[] callLatest(Address contract, byte[] data, int answerLength) {
        return call(contract, data, answerLength);
    }

    /** A log: which transaction emitted it, in which block and at which position, its topics and data. */
    public record EventLog(TxHash transaction, long block, long logIndex, List<String> topics, byte[] data) {
        public EventLog {
            topics = List.copyOf(topics);
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * The logs {@code emitter} emitted in blocks {@code fromBlock} to {@code toBlock} (both included) whose
     * first topics are {@code topics} (lowercase 0x hex, 32 bytes each), in the chain's order; logs of blocks
     * no longer on the chain are left out.
     */
    public List<EventLog> logs(Address emitter, List<String> topics, long fromBlock, long toBlock) {
        Objects.requireNonNull(emitter, "emitter");
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException(
                    "a block range runs forwards from block 0: " + fromBlock + ".." + toBlock);
        }
        Map<String, Object> filter = Map.of(
                "fromBlock",
                hex(BigInteger.valueOf(fromBlock)),
                "toBlock",
                hex(BigInteger.valueOf(toBlock)),
                "address",
                emitter.toLowerHex(),
                "topics",
                List.copyOf(topics));
        JsonNode logs = read("eth_getLogs", () -> resultOf("eth_getLogs", List.of(filter)));
        if (logs == null || !logs.isArray()) {
            throw new ChainUnavailableException("eth_getLogs answered something that is not a list of logs");
        }
        List<EventLog> found = new ArrayList<>();
        for (JsonNode log : logs) {
            if (log.path("removed").asBoolean(false)) {
                continue;
            }
            List<String> logTopics = new ArrayList<>();
            log.path("topics").forEach(t -> logTopics.add(t.asString("").toLowerCase(Locale.ROOT)));
            byte[] data;
            try {
                data = Hex.decode(log.path("data").asString(""));
            } catch (IllegalArgumentException e) {
                throw new ChainUnavailableException("eth_getLogs answered a log with invalid data", e);
            }
            found.add(new EventLog(
                    txHash("eth_getLogs", log.get("transactionHash")),
                    longQuantity("eth_getLogs blockNumber", log.get("blockNumber")),
                    longQuantity("eth_getLogs logIndex", log.get("logIndex")),
                    logTopics,
                    data));
        }
        return found;
    }

    /**
     * Asks a sanctions oracle with Chainalysis' interface whether {@code who} is sanctioned:
     * {@code isSanctioned(address) returns (bool)} by {@code eth_call} at the latest block, through the same
     * retry, circuit breaker and bulkhead as every read. Throws {@link ChainRequestFailedException} when the
     * answer is not an ABI bool (no contract at {@code oracle}, or not an oracle): that is a configuration
     * problem, not an outage, so it does not count against the circuit breaker.
     */
    public boolean isSanctioned(Address oracle, Address who) {
        Objects.requireNonNull(oracle, "oracle");
        Objects.requireNonNull(who, "who");
        Map<String, Object> call = Map.of(
                "to",
                oracle.toLowerHex(),
                "data",
                "0x" + IS_SANCTIONED_SELECTOR + "0".repeat(24)
                        + who.toLowerHex().substring(2));
        JsonNode result = read("eth_call", () -> resultOf("eth_call", List.of(call, "latest")));
        byte[] answer;
        try {
            answer = result != null && result.isString() ? Hex.decode(result.stringValue()) : null;
        } catch (IllegalArgumentException e) {
            answer = null;
        }
        if (answer == null
                || answer.length != 32
                || answer[31] > 1
                || answer[31] < 0
                || !Arrays.equals(answer, 0, 31, new byte[31], 0, 31)) {
            throw new ChainRequestFailedException(
                    "the sanctions oracle " + oracle + " answered isSanctioned with "
                            + (answer == null ? "no hex data" : answer.length + " bytes that are not an ABI bool")
                            + "; is there an oracle at that address on chain " + chainId + "?",
                    0);
        }
        return answer[31] == 1;
    }

    private BigInteger tokenBalance(Address token, Address holder, String blockTag) {
        Map<String, Object> call = Map.of(
                "to",
                token.toLowerHex(),
                "data",
                "0x" + BALANCE_OF_SELECTOR + "0".repeat(24)
                        + holder.toLowerHex().substring(2));
        byte[] answer = read("eth_call", () -> {
            JsonNode result = resultOf("eth_call", List.of(call, blockTag));
            if (result == null || !result.isString()) {
                throw new ChainUnavailableException(
                        "eth_call answered " + (result == null ? "null" : "a non-string") + " for balanceOf");
            }
            try {
                return Hex.decode(result.stringValue());
            } catch (IllegalArgumentException e) {
                throw new ChainUnavailableException("eth_call answered invalid hex for balanceOf", e);
            }
        });
        if (answer.length != 32) {
            throw new IllegalArgumentException(token + " answered balanceOf with " + answer.length
                    + " bytes instead of 32; it is not an ERC-20 token contract on chain " + chainId);
        }
        return new BigInteger(1, answer);
    }

    // Decorator order, outermost first: retry -> circuit breaker -> bulkhead -> call.
    // - Retry outside the breaker: every attempt is seen (and counted) by the breaker, and once it opens the
    //   next attempt gets CallNotPermittedException, which is not retryable, so retrying stops at once
    //   instead of hammering a dead node.
    // - Bulkhead innermost: a permit is held only while a request is in flight, never while a retry sleeps.
    // - Translating CallNotPermitted/BulkheadFull into ChainUnavailableException happens outside all of
    //   them (failFast). A translation (a "fallback") inside the retry would turn the failure into something
    //   the retry predicate sees differently - the trap TOOLCHAIN.md describes for annotation aspects.
    private <T> T read(String method, Supplier<T> call) {
        return failFast(
                method,
                Retry.decorateSupplier(
                        readRetry,
                        CircuitBreaker.decorateSupplier(circuitBreaker, Bulkhead.decorateSupplier(bulkhead, call))));
    }

    private <T> T write(String method, Supplier<T> call) {
        return failFast(
                method, CircuitBreaker.decorateSupplier(circuitBreaker, Bulkhead.decorateSupplier(bulkhead, call)));
    }

    private <T> T failFast(String method, Supplier<T> decorated) {
        try {
            return decorated.get();
        } catch (CallNotPermittedException e) {
            throw new ChainUnavailableException(
                    "chain circuit open after repeated failures to reach the chain; " + method + " not attempted",
                    e,
                    false);
        } catch (BulkheadFullException e) {
            throw new ChainUnavailableException(
                    "too many chain calls in flight; " + method + " not attempted", e, false);
        }
    }

    /** The result of a read, where any JSON-RPC error answer is the caller's mistake or the node's limit. */
    private JsonNode resultOf(String method, List<?> params) {
        JsonRpcChannel.Answer answer = exchange(method, params);
        if (answer.failed()) {
            throw new ChainRequestFailedException(
                    method + " failed: " + nodeMessage(answer.error()),
                    answer.error().getCode());
        }
        return answer.result();
    }

    /** One request; transport failures become {@link ChainUnavailableException}, error answers are returned. */
    private JsonRpcChannel.Answer exchange(String method, List<?> params) {
        try {
            return rpc.send(method, params);
        } catch (ConnectException e) {
            throw new ChainUnavailableException(
                    method + ": could not connect to the chain (" + e.getMessage() + ")", e, false);
        } catch (InterruptedIOException e) {
            throw new ChainUnavailableException(
                    method + ": no answer from the chain in time (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ChainUnavailableException(method + ": connection to the chain failed (" + e + ")", e);
        } catch (ClientConnectionException e) {
            // Web3j puts the whole HTTP body in the message; keep only the status.
            throw new ChainUnavailableException(method + ": the chain endpoint answered HTTP " + e.getCode(), e);
        } catch (JacksonException e) {
            throw new ChainUnavailableException(
                    method + ": the chain endpoint answered something that is not JSON-RPC", e);
        }
    }

    /** Transport-level failures are worth another attempt; answers (errors included) and open circuits are not. */
    private static boolean isTransientFailure(Throwable failure) {
        if (!(failure instanceof ChainUnavailableException)) {
            return false;
        }
        Throwable cause = failure.getCause();
        if (cause instanceof IOException) {
            return true;
        }
        return cause instanceof ClientConnectionException http
                && http.getCode() != null
                && (http.getCode() == 429 || http.getCode() >= 500);
    }

    /**
     * Why a node refused to execute a call: the decoded revert data when it reverted, the node's words when
     * it would not even start (insufficient funds). Any other error answer is not about the call's outcome.
     */
    private static String refusalReason(String method, Response.Error error) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (error.getCode() == JSON_RPC_EXECUTION_ERROR || lower.contains("revert")) {
            byte[] data = revertData(error.getData());
            return data.length > 0 ? RevertReasons.describe(data) : RevertReasons.WITHOUT_REASON;
        }
        if (lower.contains("insufficient funds")) {
            return RevertReasons.sanitize(message);
        }
        throw new ChainRequestFailedException(method + " failed: " + nodeMessage(error), error.getCode());
    }

    /** Revert data from an error's {@code data}: a hex string (Web3j may keep its JSON quotes), else nothing. */
    private static byte[] revertData(String data) {
        if (data == null) {
            return new byte[0];
        }
        String text = data.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        if (!text.startsWith("0x")) {
            return new byte[0];
        }
        try {
            return Hex.decode(text);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String nodeMessage(Response.Error error) {
        String message = error.getMessage();
        return message == null || message.isBlank()
                ? "error " + error.getCode() + " without a message"
                : RevertReasons.sanitize(message);
    }

    private static String hex(BigInteger quantity) {
        return "0x" + quantity.toString(16);
    }

    private static Map<String, Object> callObject(ContractCall call, BigInteger gas) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("from", call.from().toLowerHex());
        object.put("to", call.to().toLowerHex());
        object.put("value", "0x" + call.value().units().toString(16));
        object.put("data", Hex.encode(call.data()));
        if (gas != null) {
            object.put("gas", "0x" + gas.toString(16));
        }
        return object;
    }

    private static BigInteger quantity(String what, JsonNode value) {
        return HexQuantity.parse(value != null && value.isString() ? value.stringValue() : null)
                .orElseThrow(() -> new ChainUnavailableException(what + " answered "
                        + (value == null ? "nothing" : "'" + RevertReasons.sanitize(value.toString()) + "'")
                        + " where a hex quantity belongs"));
    }

    private static long longQuantity(String what, JsonNode value) {
        BigInteger quantity = quantity(what, value);
        if (quantity.bitLength() > 63) {
            throw new ChainUnavailableException(what + " answered 0x" + quantity.toString(16) + ", out of range");
        }
        return quantity.longValue();
    }

    private static TxHash txHash(String what, JsonNode value) {
        try {
            if (value != null && value.isString() && value.stringValue().startsWith("0x")) {
                return TxHash.parse(value.stringValue());
            }
        } catch (IllegalArgumentException e) {
            // fall through to the common complaint
        }
        throw new ChainUnavailableException(what + " answered something that is not a transaction hash");
    }
}
