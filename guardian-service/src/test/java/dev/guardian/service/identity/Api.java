package dev.guardian.service.identity;

import dev.guardian.service.testsupport.AgentClient;
import java.net.URI;

/** A test Guardian's API called with a different bearer token (or none) on each call; AgentClient does the HTTP. */
final class Api {
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
        return new AgentClient(baseUrl, token).send(method, path, json);
    }
}
