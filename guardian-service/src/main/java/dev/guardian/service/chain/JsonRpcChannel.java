package dev.guardian.service.chain;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Objects;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.JsonRpc2_0Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import tools.jackson.databind.JsonNode;

/**
 * Sends any JSON-RPC method through a Web3j connection and hands back the answer as a JSON tree.
 * Web3j has typed methods for the standard {@code eth_*} calls only; {@code debug_traceCall} and Anvil's
 * {@code anvil_*}/{@code evm_*} methods need this. Using Web3j's own {@link Request} keeps one transport
 * (timeouts, connection pool, headers) for everything.
 */
public final class JsonRpcChannel {
    private final Web3jService service;

    public JsonRpcChannel(Web3j web3j) {
        this.service = serviceOf(Objects.requireNonNull(web3j, "web3j"));
    }

    /** The node's answer: exactly one of {@code result} (null when the node answered {@code null}) and {@code error}. */
    public record Answer(JsonNode result, Response.Error error) {
        public boolean failed() {
            return error != null;
        }
    }

    /**
     * Sends one request. Throws {@link IOException} when there was no answer (connection refused or reset,
     * timeout); Web3j's {@code ClientConnectionException} for a non-2xx HTTP status; Jackson's
     * {@code JacksonException} when the body is not JSON-RPC.
     */
    public Answer send(String method, List<?> params) throws IOException {
        JsonNodeResponse response = new Request<>(method, params, service, JsonNodeResponse.class).send();
        if (response == null) {
            throw new IOException(method + " got an empty HTTP body");
        }
        if (response.hasError()) {
            return new Answer(null, response.getError());
        }
        JsonNode result = response.getResult();
        return new Answer(result == null || result.isNull() ? null : result, null);
    }

    /** Web3j's response envelope with the {@code result} kept as a tree; Jackson needs it public. */
    public static final class JsonNodeResponse extends Response<JsonNode> {}

    /** What {@link ChainAdapter#connect} builds: a Web3j that can hand its transport to this channel. */
    static final class TransportExposingWeb3j extends JsonRpc2_0Web3j {
        TransportExposingWeb3j(Web3jService service) {
            super(service);
        }

        Web3jService service() {
            return web3jService;
        }

        /** Same as {@link #shutdown()}; narrowed so that try-with-resources need not handle InterruptedException. */
        @Override
        public void close() {
            shutdown();
        }
    }

    private static Web3jService serviceOf(Web3j web3j) {
        if (web3j instanceof TransportExposingWeb3j exposing) {
            return exposing.service();
        }
        if (web3j instanceof JsonRpc2_0Web3j) {
            // Web3j.build(...) keeps its transport in a protected field without an accessor; reading it
            // lets a Web3j configured elsewhere (e.g. by a test) still reach the non-standard methods.
            try {
                Field field = JsonRpc2_0Web3j.class.getDeclaredField("web3jService");
                field.setAccessible(true);
                return (Web3jService) field.get(web3j);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "cannot reach the transport of this Web3j; build it with ChainAdapter.connect", e);
            }
        }
        throw new IllegalArgumentException("unsupported Web3j implementation "
                + web3j.getClass().getName() + "; build it with ChainAdapter.connect");
    }
}
