package dev.guardian.service.identity;

import dev.guardian.service.testsupport.AgentClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;

/** Any HTTP call to a test Guardian with a bearer token (or none), for the people API's PUT and DELETE too. */
final class Api {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI baseUrl;

    Api(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    AgentClient.Response get(String token, String path) {
        return send(token, "GET", path, null);
    }

    AgentClient.Response post(String token, String path, String json) {
        return send(token, "POST", path, json);
    }

    AgentClient.Response put(String token, String path, String json) {
        return send(token, "PUT", path, json);
    }

    AgentClient.Response delete(String token, String path) {
        return send(token, "DELETE", path, null);
    }

    AgentClient.Response send(String token, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new AgentClient.Response(response.statusCode(), response, body == null || body.isBlank() ? null : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
