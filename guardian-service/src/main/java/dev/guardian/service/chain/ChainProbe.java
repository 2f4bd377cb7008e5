package dev.guardian.service.chain;

import dev.guardian.policy.ChainId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Asks the node, in two cheap calls, whether Guardian can work with it: it answers, it serves the
 * configured chain ({@code eth_chainId}), and it traces calls as simulation needs them
 * ({@code debug_traceCall} with the call tracer and {@code withLog}). The trace is of a contract creation
 * whose code only emits one log, so it needs no state on chain and shows whether the node really returns
 * logs: a node that ignores {@code withLog} would make every token transfer invisible to the policy.
 *
 * <p>It talks over the JSON-RPC channel directly, outside the adapter's retry, circuit breaker and
 * bulkhead: a probe must not count against the breaker that every request shares (probes during an
 * outage would keep it open after the node is back), must not wait for a permit behind requests, and a
 * failed probe is reported, not retried. Each call is bounded by the connection's call timeout.
 */
final class ChainProbe {
    /** Creation code that emits one log without topics and stops: PUSH1 0, PUSH1 0, LOG0, STOP. */
    static final String LOGGING_CREATION_CODE = "0x60006000a000";

    private static final Map<String, Object> LOGGING_CREATION = callCreatingALog();

    private final JsonRpcChannel rpc;
    private final ChainId chainId;
    private final URI rpcUrl;

    ChainProbe(Web3j web3j, ChainId chainId, URI rpcUrl) {
        this.rpc = new JsonRpcChannel(web3j);
        this.chainId = Objects.requireNonNull(chainId, "chainId");
        this.rpcUrl = Objects.requireNonNull(rpcUrl, "rpcUrl");
    }

    /** What one probe found: {@code problem} is empty when the node is fit for Guardian. */
    record Outcome(Optional<BigInteger> servedChainId, Optional<String> problem, Duration took) {
        boolean ready() {
            return problem.isEmpty();
        }
    }

    /**
     * Never throws: every failure is an outcome with its problem. A call that fails at once on I/O is made
     * again, once, on a fresh connection: a pooled connection that a load balancer has closed fails that
     * way without the node being away. A timeout is not tried again: it has used up the time.
     */
    Outcome probe() {
        long started = System.nanoTime();
        Found found;
        try {
            found = check();
        } catch (InterruptedIOException e) {
            found = unreachable(e);
        } catch (IOException first) {
            try {
                found = check();
            } catch (IOException e) {
                found = unreachable(e);
            }
        }
        return new Outcome(
                Optional.ofNullable(found.served()),
                Optional.ofNullable(found.problem()).map(this::withoutRpcUrl),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** What one round of calls found: the chain id served (if it was answered), and the problem, if any. */
    private record Found(BigInteger served, String problem) {}

    private Found check() throws IOException {
        BigInteger served = null;
        try {
            served = chainId();
            if (!served.equals(BigInteger.valueOf(chainId.value()))) {
                return new Found(
                        served,
                        "the node serves chain id " + served + " but Guardian is configured for chain id " + chainId);
            }
            return new Found(served, tracingProblem().orElse(null));
        } catch (Unfit e) {
            return new Found(served, e.getMessage());
        } catch (ClientConnectionException e) {
            // Web3j puts the whole HTTP body in the message; the status is what matters.
            return new Found(served, "the chain endpoint answered HTTP " + e.getCode());
        } catch (JacksonException e) {
            return new Found(served, "the chain endpoint answered something that is not JSON-RPC");
        } catch (RuntimeException e) {
            return new Found(served, "the probe failed: " + e);
        }
    }

    private static Found unreachable(IOException e) {
        return new Found(
                null, "the chain could not be reached (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }

    private BigInteger chainId() throws IOException {
        JsonRpcChannel.Answer answer = rpc.send("eth_chainId", List.of());
        if (answer.failed()) {
            throw new Unfit("eth_chainId failed: " + describe(answer.error()));
        }
        return HexQuantity.parse(
                        answer.result() != null && answer.result().isString()
                                ? answer.result().stringValue()
                                : null)
                .orElseThrow(() -> new Unfit("eth_chainId answered something that is not a hex quantity"));
    }

    private Optional<String> tracingProblem() throws IOException {
        JsonRpcChannel.Answer answer =
                rpc.send("debug_traceCall", List.of(LOGGING_CREATION, "latest", ChainAdapter.CALL_TRACER));
        if (answer.failed()) {
            return Optional.of("the node does not serve debug_traceCall with the callTracer and withLog, which"
                    + " simulation needs: " + describe(answer.error()));
        }
        JsonNode trace = answer.result();
        if (trace == null || !trace.isObject() || !trace.hasNonNull("type")) {
            return Optional.of("debug_traceCall with the callTracer answered something that is not a call frame");
        }
        JsonNode logs = trace.get("logs");
        if (logs == null || !logs.isArray() || logs.isEmpty()) {
            return Optional.of("debug_traceCall with the callTracer left out the log of a call that emits one:"
                    + " the node ignores withLog, so simulation would not see token transfers");
        }
        return Optional.empty();
    }

    /**
     * The message without the configured RPC URL or its parts: hosted endpoints carry their API key in the
     * path, the query or the user info, and health details are shown to whoever asks.
     */
    String withoutRpcUrl(String message) {
        String text = message.replace(rpcUrl.toString(), "[rpc-url]");
        for (String part : new String[] {rpcUrl.getRawUserInfo(), rpcUrl.getRawQuery(), rpcUrl.getRawPath()}) {
            if (part != null && part.length() > 1) {
                text = text.replace(part, "[redacted]");
            }
        }
        return text;
    }

    private static String describe(Response.Error error) {
        String message = error.getMessage() == null || error.getMessage().isBlank()
                ? "without a message"
                : RevertReasons.sanitize(error.getMessage());
        return "error " + error.getCode() + " " + message;
    }

    /** A creation (no {@code to}) from the zero address, with gas enough for it and nothing else. */
    private static Map<String, Object> callCreatingALog() {
        return Map.of(
                "from", "0x0000000000000000000000000000000000000000",
                "data", LOGGING_CREATION_CODE,
                "gas", "0x186a0",
                "value", "0x0");
    }

    /** The node answered, but not as Guardian needs. */
    private static final class Unfit extends RuntimeException {
        Unfit(String message) {
            super(message, null, false, false);
        }
    }
}
