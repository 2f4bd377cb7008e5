package dev.guardian.service.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to Guardian over real HTTP as an agent does, with its API key. */
public final class AgentClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI baseUrl;
    private final String apiKey;

    public AgentClient(URI baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** A response: status, one header lookup, and the body as JSON (null if there was none). */
    public record Response(int status, HttpResponse<String> raw, JsonNode body) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        public String text(String field) {
            JsonNode node = body == null ? null : body.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    /** The bearer token this client sends, for tests that build their own HTTP requests. */
    public String token() {
        return apiKey;
    }

    public Response pay(String recipient, String amount) {
        return pay(recipient, amount, Optional.empty());
    }

    public Response pay(String recipient, String amount, Optional<String> idempotencyKey) {
        return post(
                "/v1/payments", "{\"recipient\":\"" + recipient + "\",\"amount\":\"" + amount + "\"}", idempotencyKey);
    }

    public Response callContract(String to, String dataHex, String valueEth) {
        return post(
                "/v1/contract-calls",
                "{\"to\":\"" + to + "\",\"data\":\"" + dataHex + "\",\"value\":\"" + valueEth + "\"}",
                Optional.empty());
    }

    public Response post(String path, String json, Optional<String> idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        authorise(request);
        idempotencyKey.ifPresent(key -> request.header("Idempotency-Key", key));
        return send(request.build());
    }

    /** Any method with an optional JSON body, for the treasury and admin APIs (PUT, DELETE, ...). */
    public Response send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        authorise(request);
        return send(request.build());
    }

    public Response get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        authorise(request);
        return send(request.build());
    }

    public Response request(String id) {
        return get("/v1/requests/" + id);
    }

    public Response budget() {
        return get("/v1/budget");
    }

    public Response wallet() {
        return get("/v1/wallet");
    }

    /** Polls the request until its status is one of {@code statuses}; fails after {@code timeout}. */
    public Response awaitStatus(String id, Duration timeout, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        Instant deadline = Instant.now().plus(timeout);
        Response last;
        do {
            last = request(id);
            if (last.status() == 200 && wanted.contains(last.text("status"))) {
                return last;
            }
            sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("request " + id + " did not reach " + wanted + " within " + timeout + "; last: "
                + last.raw().body());
    }

    private void authorise(HttpRequest.Builder request) {
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Response(
                    response.statusCode(), response, body == null || body.isBlank() ? null : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
