package dev.guardian.service.sanctions;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A publisher of a list on a loopback port (the JDK's own HTTP server): serves one body at any path,
 * or fails with a status on purpose, and counts the requests. Never a real internet address.
 */
final class ListServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentLinkedDeque<Integer> scriptedFailures = new ConcurrentLinkedDeque<>();
    private volatile byte[] body = new byte[0];
    private volatile int failingStatus;

    private ListServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Integer scripted = scriptedFailures.pollFirst();
            int status = scripted != null ? scripted : failingStatus != 0 ? failingStatus : 200;
            byte[] answer = status == 200 ? body : ("failing with " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    static ListServer start() {
        try {
            return new ListServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** http://127.0.0.1:port/path */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Serves {@code content} with 200 from now on. */
    ListServer serve(String content) {
        body = content.getBytes(StandardCharsets.UTF_8);
        failingStatus = 0;
        return this;
    }

    /** Answers every request with {@code status} until {@link #serve} is called again. */
    void failWith(int status) {
        failingStatus = status;
    }

    /** Answers the next {@code times} requests with {@code status}, then serves again. */
    void failNext(int times, int status) {
        for (int i = 0; i < times; i++) {
            scriptedFailures.add(status);
        }
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
