package io.hybridstore.common.node;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle {@link BlobWire} connections per storage node, reused for the next exchange. A connection is used by one
 * exchange at a time, so a burst opens as many as it needs; at most {@value #MAX_IDLE_PER_NODE} per node are kept.
 * One idle longer than {@code maxIdle} is closed rather than reused, before the node's own idle timeout can cut it
 * under a request.
 */
final class WireConnections {

    static final int MAX_IDLE_PER_NODE = 64;
    /**
     * Per stream of a connection. Small on purpose: a gateway keeps up to 64 idle connections per node, 384 of them
     * for six nodes, and 64 KiB buffers held 48 MiB of its 512 MiB heap doing nothing; frames are a few dozen bytes
     * and a body at least this long bypasses the buffer anyway.
     */
    private static final int BUFFER = 8 * 1024;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("blob-wire-watchdog").daemon().factory());

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final long maxIdleNanos;
    private final Map<String, Idle> idle = new ConcurrentHashMap<>();

    WireConnections(Duration connectTimeout, Duration requestTimeout, Duration maxIdle) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.maxIdleNanos = maxIdle.toNanos();
    }

    /** What one exchange writes and reads on a connection. */
    interface Exchange<T> {
        T on(DataOutputStream out, DataInputStream in) throws IOException;
    }

    /** An exchange cut in two, so that many can be written before any is read ({@link #exchangeAll}). */
    interface Split<T> {
        void write(DataOutputStream out) throws IOException;

        T read(DataInputStream in) throws IOException;
    }

    /** One exchange of {@link #exchangeAll}: the node's address ("host:port") and what to write and read. */
    record Call<T>(String address, Split<T> split) {
    }

    /** Its answer, or why there is none: the same failures {@link #exchange} throws. */
    record Outcome<T>(T answer, IOException failure) {
    }

    /**
     * Runs the exchange on an idle connection to {@code address} ("host:port") or a new one. When a reused
     * connection fails other than by timing out, the node most likely closed it meanwhile (it restarted, or its
     * idle timeout struck first), and the exchange is tried once more on a new connection: every exchange is
     * idempotent, blobs being immutable. A timeout is not retried: the node is there but slow.
     *
     * <p>The socket's read timeout bounds the wait for an answer. Sending {@code sendBytes} beyond what the
     * socket buffers could block without end on a node that stopped reading, so such an exchange is also cut off
     * by closing its socket when the request timeout has passed.
     */
    <T> T exchange(String address, long sendBytes, Exchange<T> exchange) throws IOException {
        Connection reused = borrow(address);
        if (reused != null) {
            try {
                return run(reused, sendBytes, exchange);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException stale) {
                // Fall through to a new connection.
            }
        }
        return run(open(address), sendBytes, exchange);
    }

    /**
     * Runs the exchanges from the calling thread: writes every request, each on a connection of its own, then reads
     * the answers in turn, so the nodes work on all of them at once, as with a thread per exchange, but without
     * starting threads and handing each answer from one thread to another. Every request must fit in the socket
     * buffers, or its write would wait for the node to read it and the requests after it with it. The answers
     * share one deadline, the request timeout from when the last request was written; a stale reused connection is
     * retried on a new one, as in {@link #exchange}.
     */
    <T> List<Outcome<T>> exchangeAll(List<Call<T>> calls) {
        List<Outcome<T>> outcomes = new ArrayList<>(calls.size());
        Connection[] connections = new Connection[calls.size()];
        boolean[] retry = new boolean[calls.size()];
        for (int i = 0; i < calls.size(); i++) {
            Call<T> call = calls.get(i);
            outcomes.add(null);
            Connection connection = borrow(call.address());
            try {
                if (connection == null) {
                    connection = open(call.address());
                }
                call.split().write(connection.out);
                connections[i] = connection;
            } catch (IOException e) {
                if (connection != null) {
                    connection.close();
                    retry[i] = connection.wasReused;
                }
                outcomes.set(i, new Outcome<>(null, e));
            }
        }
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        for (int i = 0; i < calls.size(); i++) {
            Connection connection = connections[i];
            if (connection == null) {
                continue;
            }
            try {
                connection.socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                T answer = calls.get(i).split().read(connection.in);
                connection.socket.setSoTimeout((int) requestTimeout.toMillis());
                release(connection);
                outcomes.set(i, new Outcome<>(answer, null));
            } catch (IOException e) {
                connection.close();
                retry[i] = !(e instanceof SocketTimeoutException) && connection.wasReused;
                outcomes.set(i, new Outcome<>(null, e));
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            if (retry[i]) {
                Split<T> split = calls.get(i).split();
                try {
                    outcomes.set(i, new Outcome<>(run(open(calls.get(i).address()), 0, (out, in) -> {
                        split.write(out);
                        return split.read(in);
                    }), null));
                } catch (IOException e) {
                    outcomes.set(i, new Outcome<>(null, e));
                }
            }
        }
        return outcomes;
    }

    private <T> T run(Connection connection, long sendBytes, Exchange<T> exchange) throws IOException {
        boolean healthy = false;
        ScheduledFuture<?> watchdog = sendBytes > BUFFER
                ? WATCHDOG.schedule(connection::close, requestTimeout.toMillis(), TimeUnit.MILLISECONDS) : null;
        try {
            T result = exchange.on(connection.out, connection.in);
            healthy = watchdog == null || watchdog.cancel(false);
            return result;
        } finally {
            if (healthy) {
                release(connection);
            } else {
                connection.close();
            }
        }
    }

    private Connection borrow(String address) {
        Idle pool = idle.get(address);
        if (pool == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Connection c = pool.take(); c != null; c = pool.take()) {
            if (now - c.idleSince < maxIdleNanos) {
                c.wasReused = true;
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(Connection connection) {
        connection.idleSince = System.nanoTime();
        if (!idle.computeIfAbsent(connection.address, a -> new Idle()).offer(connection)) {
            connection.close();
        }
    }

    /** One node's idle connections, most recently used first; counted, as a concurrent deque's size() walks it. */
    private static final class Idle {
        private final ConcurrentLinkedDeque<Connection> connections = new ConcurrentLinkedDeque<>();
        private final AtomicInteger count = new AtomicInteger();

        Connection take() {
            Connection connection = connections.pollFirst();
            if (connection != null) {
                count.decrementAndGet();
            }
            return connection;
        }

        boolean offer(Connection connection) {
            if (count.incrementAndGet() > MAX_IDLE_PER_NODE) {
                count.decrementAndGet();
                return false;
            }
            connections.offerFirst(connection);
            return true;
        }
    }

    private Connection open(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IOException("not a host:port address: " + address);
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) requestTimeout.toMillis());
            return new Connection(address, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static final class Connection {
        final String address;
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;
        long idleSince;
        /** Taken from the idle pool: a failure on it may only mean the node closed it meanwhile. */
        boolean wasReused;

        Connection(String address, Socket socket) throws IOException {
            this.address = address;
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }
}
