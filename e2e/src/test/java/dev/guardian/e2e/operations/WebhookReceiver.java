package dev.guardian.e2e.operations;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver on a port of its own that can be down (nothing listens: connections are refused) and
 * come back on the same port; it keeps every notification it was sent.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int port = ExternalPostgres.freePort();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/hook");
    }

    synchronized void up() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            received.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    List<JsonNode> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        down();
    }
}
