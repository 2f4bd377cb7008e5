package dev.guardian.service.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP forwarder (127.0.0.1, a free port, to a target port) that a test can break on purpose:
 * {@link #cutOff()} resets every open connection and then accepts and immediately resets each new one,
 * so clients fail fast and each attempt is still counted; {@link #stall()} accepts connections and never
 * answers, so clients run into their timeouts; {@link #restore()} forwards again. Breaking the proxy
 * instead of stopping Anvil keeps the chain's state. It forwards bytes, so it serves PostgreSQL's protocol
 * as well as HTTP (DatabaseOutageTest puts one in front of a {@link TestDatabase}).
 */
public final class TcpProxy implements AutoCloseable {
    private enum Mode {
        FORWARD,
        CUT_OFF,
        STALL
    }

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger acceptedConnections = new AtomicInteger();
    private final Thread acceptor;
    private volatile Mode mode = Mode.FORWARD;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform()
                .daemon()
                .name("tcp-proxy-" + server.getLocalPort())
                .start(this::acceptLoop);
    }

    /** Starts forwarding 127.0.0.1:{@link #port()} to 127.0.0.1:{@code targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a proxy port", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The proxy as an HTTP endpoint, e.g. the RPC URL to give a client under test. */
    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** How many connections clients have opened to the proxy so far, in every mode. */
    public int acceptedConnections() {
        return acceptedConnections.get();
    }

    /** Resets all open connections; from now on every new connection is accepted, counted and reset at once. */
    public void cutOff() {
        mode = Mode.CUT_OFF;
        resetAll();
    }

    /** Resets all open connections; from now on new connections are accepted and never answered. */
    public void stall() {
        mode = Mode.STALL;
        resetAll();
    }

    /** Forwards again; connections held by {@link #stall()} are reset. */
    public void restore() {
        mode = Mode.FORWARD;
        resetAll();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        resetAll();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            acceptedConnections.incrementAndGet();
            openSockets.add(client);
            switch (mode) {
                case CUT_OFF -> reset(client);
                case STALL -> {} // hold it open, say nothing
                case FORWARD -> forward(client);
            }
        }
    }

    private void forward(Socket client) {
        Socket target = new Socket();
        try {
            target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
        } catch (IOException e) {
            reset(client);
            return;
        }
        openSockets.add(target);
        Thread.ofVirtual().start(() -> pump(client, target));
        Thread.ofVirtual().start(() -> pump(target, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away; close both below
        } finally {
            close(from);
            close(to);
        }
    }

    private void resetAll() {
        for (Socket socket : openSockets) {
            reset(socket);
        }
    }

    /** Closes with SO_LINGER 0, which sends a TCP RST: the peer fails at once instead of seeing a clean end. */
    private void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        close(socket);
    }

    private void close(Socket socket) {
        openSockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
