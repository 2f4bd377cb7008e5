package dev.guardian.service.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTP JSON-RPC endpoint on 127.0.0.1 (a free port, any path) that forwards every request to a
 * node and can be told to answer some methods differently, as a real provider might: not serve a method
 * at all ({@link #notServing}, the node never sees the call), refuse it ({@link #refuse}), refuse it
 * after all forwarding it ({@link #refuseAfterForwarding}: one node of a load-balanced provider says no
 * while another took the transaction), or answer a result of its choosing ({@link #answer}, or only for the
 * calls whose text contains a fragment: {@link #answerWhenContains}). It can also
 * go away at an exact call ({@link #goAwayAt}), so a test can cut the chain off between two steps of
 * Guardian's own. It counts the calls of each method it receives, whatever it does with them. A batch (a
 * JSON array) is forwarded as it is. Unlike {@link TcpProxy}, it breaks the node's answers, not the
 * connection, except when it goes away.
 */
public final class JsonRpcProxy implements AutoCloseable {
    /** JSON-RPC's "method not found". */
    public static final int METHOD_NOT_FOUND = -32601;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private sealed interface Rule {
        /** Answer this error, and never tell the node. */
        record Refuse(int code, String message) implements Rule {}

        /** Forward, then answer this error whatever the node said. */
        record RefuseAfterForwarding(int code, String message) implements Rule {}

        /** Answer this result, and never tell the node. */
        record Answer(JsonNode result) implements Rule {}
    }

    private final URI node;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    /** Rules for calls of a method whose request text contains a fragment: method, then fragment. */
    private final Map<String, Map<String, Rule>> byFragment = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** The method whose first call starts an outage; null when none is set. */
    private volatile String awayFrom;
    /** Whether the outage has started: from then on, nothing is answered. */
    private volatile boolean away;

    private JsonRpcProxy(URI node) throws IOException {
        this.node = node;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts forwarding to the JSON-RPC endpoint {@code node} (e.g. Anvil's URL). */
    public static JsonRpcProxy to(URI node) {
        try {
            return new JsonRpcProxy(node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a JSON-RPC proxy port", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The proxy's URL; any path on it reaches the node (so a test can put a fake API key in one). */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Answers {@code method} with {@value #METHOD_NOT_FOUND} "method not found", as a node without it does. */
    public void notServing(String method) {
        refuse(method, METHOD_NOT_FOUND, "the method " + method + " does not exist/is not available");
    }

    /** Answers {@code method} with this JSON-RPC error; the node never sees the call. */
    public void refuse(String method, int code, String message) {
        rules.put(method, new Rule.Refuse(code, message));
    }

    /** Forwards {@code method} to the node, then answers this error whatever the node answered. */
    public void refuseAfterForwarding(String method, int code, String message) {
        rules.put(method, new Rule.RefuseAfterForwarding(code, message));
    }

    /** Answers {@code method} with {@code resultJson} (JSON text, e.g. {@code "\"0x2105\""}); the node never sees it. */
    public void answer(String method, String resultJson) {
        rules.put(method, new Rule.Answer(JSON.readTree(resultJson)));
    }

    /** Answers {@code method} with an error, without forwarding, only when its first parameter is {@code first}. */
    public void refuseFor(String method, String first, int code, String message) {
        rules.put(method + " " + first.toLowerCase(Locale.ROOT), new Rule.Refuse(code, message));
    }

    /**
     * Answers {@code method} with {@code resultJson}, without forwarding, only when the request's text contains
     * {@code fragment} (case-insensitive): e.g. the one call whose data carries a given nonce.
     */
    public void answerWhenContains(String method, String fragment, String resultJson) {
        byFragment
                .computeIfAbsent(method, m -> new ConcurrentHashMap<>())
                .put(fragment.toLowerCase(Locale.ROOT), new Rule.Answer(JSON.readTree(resultJson)));
    }

    /**
     * From the first call of {@code method} on, behaves as a node that went away: that call and every
     * later one, of any method, get their connection closed without an answer (the client sees a failed
     * connection, not a JSON-RPC error), until {@link #forwardAll}.
     */
    public void goAwayAt(String method) {
        awayFrom = method;
    }

    /** Forwards every method again, and ends an outage {@link #goAwayAt} started. */
    public void forwardAll() {
        rules.clear();
        byFragment.clear();
        awayFrom = null;
        away = false;
    }

    /** Whether an outage {@link #goAwayAt} set up has started. */
    public boolean gone() {
        return away;
    }

    /** How many calls of {@code method} reached the proxy so far, whatever it did with them. */
    public int calls(String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
        client.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            byte[] answer = answer(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (IOException | RuntimeException e) {
            // The node went away (or the client did): the exchange ends without an answer, as it would.
        }
    }

    private byte[] answer(byte[] body) throws IOException {
        JsonNode request = JSON.readTree(body);
        if (request.isArray()) {
            request.forEach(call -> count(methodOf(call)));
            for (JsonNode call : request) {
                goAwayIfCalled(methodOf(call));
            }
            return forward(body);
        }
        String method = methodOf(request);
        count(method);
        goAwayIfCalled(method);
        JsonNode params = request.get("params");
        String first = params != null
                        && params.isArray()
                        && !params.isEmpty()
                        && params.get(0).isString()
                ? params.get(0).stringValue().toLowerCase(Locale.ROOT)
                : "";
        String text = new String(body, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        Rule rule = byFragment.getOrDefault(method, Map.of()).entrySet().stream()
                .filter(e -> text.contains(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseGet(() -> rules.getOrDefault(method + " " + first, rules.get(method)));
        if (rule == null) {
            return forward(body);
        }
        ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").set("id", request.get("id"));
        switch (rule) {
            case Rule.Refuse refuse -> error(reply, refuse.code(), refuse.message());
            case Rule.RefuseAfterForwarding refuse -> {
                forward(body);
                error(reply, refuse.code(), refuse.message());
            }
            case Rule.Answer fixed -> reply.set("result", fixed.result());
        }
        return JSON.writeValueAsBytes(reply);
    }

    /** Throws, so that the exchange is closed unanswered, once the outage has started (or starts with this call). */
    private void goAwayIfCalled(String method) throws IOException {
        if (!away && method.equals(awayFrom)) {
            away = true;
        }
        if (away) {
            throw new IOException("the node went away at " + awayFrom);
        }
    }

    private static String methodOf(JsonNode call) {
        JsonNode method = call.get("method");
        return method != null && method.isString() ? method.stringValue() : "";
    }

    private static void error(ObjectNode reply, int code, String message) {
        reply.putObject("error").put("code", code).put("message", message);
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    private byte[] forward(byte[] body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(node)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("the node answered HTTP " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }
}
