package io.hybridstore.common.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serving end of {@link BlobWire}: one platform thread per connection, reading a request, answering it, and
 * waiting for the next. Not a virtual thread: a connection's thread spends its life blocked on its socket or on the
 * group commit, and a virtual thread pays for every such wait with a poller registration and a hand-off to a carrier
 * thread — futex and epoll calls that were most of a storage node's system time. Connections are long-lived and
 * about as many as a node's callers have exchanges in flight (a gateway keeps at most
 * {@code WireConnections.MAX_IDLE_PER_NODE} idle ones per node). What a request means is the {@link Handler}'s
 * business; this class owns the framing, the timeouts and the connections.
 */
public final class BlobWireServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BlobWireServer.class);
    /** Per stream of a connection, small for the same reason as the client's: hundreds of connections per node. */
    private static final int BUFFER = 8 * 1024;
    /** A body the handler left unread is read and discarded up to this size, so its sender still gets the answer. */
    private static final long MAX_DRAIN = 128L * 1024 * 1024;

    /** Answers one request. */
    public interface Handler {
        /**
         * @param body the request's body, exactly {@code header.bodyLength()} bytes; what is left unread is
         *             discarded after the answer
         * @param from the peer's address
         * @throws IOException when the body could not be read: the connection is closed without an answer
         */
        BlobWire.Response handle(BlobWire.RequestHeader header, InputStream body, SocketAddress from)
                throws IOException;
    }

    private final ServerSocket socket;
    private final Handler handler;
    private final int idleMillis;
    private final int readMillis;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private BlobWireServer(ServerSocket socket, Handler handler, Duration idleTimeout, Duration readTimeout) {
        this.socket = socket;
        this.handler = handler;
        this.idleMillis = (int) idleTimeout.toMillis();
        this.readMillis = (int) readTimeout.toMillis();
        this.acceptor = Thread.ofVirtual().name("blob-wire-accept-" + socket.getLocalPort()).start(this::accept);
    }

    /**
     * Listens on {@code bind} (port 0: any free port).
     *
     * @param idleTimeout how long a connection may wait for its next request before it is closed
     * @param readTimeout how long a request may stall mid-frame
     */
    public static BlobWireServer start(InetSocketAddress bind, Duration idleTimeout, Duration readTimeout,
                                       Handler handler) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(bind, 256);
        return new BlobWireServer(socket, handler, idleTimeout, readTimeout);
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket connection = socket.accept();
                open.add(connection);
                Thread.ofPlatform().name("blob-wire-conn").daemon().start(() -> serve(connection));
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Blob connections: accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(connection.getInputStream(), BUFFER));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(connection.getOutputStream(), BUFFER));
            while (!closed) {
                connection.setSoTimeout(idleMillis);
                BlobWire.RequestHeader header;
                try {
                    header = BlobWire.readRequestHeader(in);
                } catch (SocketTimeoutException idle) {
                    return;
                }
                if (header == null) {
                    return;
                }
                connection.setSoTimeout(readMillis);
                Body body = new Body(in, header.bodyLength());
                BlobWire.Response response;
                try {
                    response = handler.handle(header, body, connection.getRemoteSocketAddress());
                } catch (RuntimeException e) {
                    log.error("Blob {} of {} failed", header.op(), header.id(), e);
                    response = new BlobWire.Response(500, 0, ("internal error: " + e).getBytes(StandardCharsets.UTF_8));
                }
                BlobWire.writeResponse(out, response.status(), response.crc32c(), response.body());
                if (body.remaining > MAX_DRAIN) {
                    return;
                }
                body.skipRest();
            }
        } catch (BlobWire.WireFormatException e) {
            log.warn("Closed a blob connection from {}: {}", connection.getRemoteSocketAddress(), e.getMessage());
        } catch (SocketException | SocketTimeoutException e) {
            log.debug("Blob connection from {} ended: {}", connection.getRemoteSocketAddress(), e.toString());
        } catch (IOException e) {
            log.info("Blob connection from {} ended: {}", connection.getRemoteSocketAddress(), e.toString());
        } finally {
            open.remove(connection);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        for (Socket connection : open) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
        acceptor.interrupt();
    }

    /** One request's body: the next {@code remaining} bytes of the connection, no further. */
    private static final class Body extends InputStream {
        private final InputStream in;
        private long remaining;

        Body(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-body");
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return length == 0 ? 0 : -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("connection closed mid-body");
            }
            remaining -= n;
            return n;
        }

        void skipRest() throws IOException {
            while (remaining > 0) {
                long n = in.skip(remaining);
                if (n <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("connection closed mid-body");
                    }
                    n = 1;
                }
                remaining -= n;
            }
        }
    }
}
