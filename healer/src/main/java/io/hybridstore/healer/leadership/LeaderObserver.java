package io.hybridstore.healer.leadership;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.election.LeaderResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Follows the election's current leader through etcd's Observe stream, re-subscribing after errors. etcd sends the
 * current leader first and then every new one; it never announces "no leader", so the name can trail reality by
 * one hand-over.
 */
final class LeaderObserver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderObserver.class);

    private final Election election;
    private final ByteSequence electionName;
    private final String selfId;
    private final Duration retryDelay;
    private volatile String leader;
    private volatile boolean running;
    private volatile CompletableFuture<Void> stream = new CompletableFuture<>();
    private Thread thread;

    LeaderObserver(Election election, ByteSequence electionName, String selfId, Duration retryDelay) {
        this.election = election;
        this.electionName = electionName;
        this.selfId = selfId;
        this.retryDelay = retryDelay;
    }

    Optional<String> leader() {
        return Optional.ofNullable(leader);
    }

    synchronized void start() {
        running = true;
        thread = Thread.ofVirtual().name("healer-observer-" + selfId).start(this::observeLoop);
    }

    @Override
    public synchronized void close() {
        running = false;
        stream.complete(null);
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void observeLoop() {
        while (running) {
            var ended = new CompletableFuture<Void>();
            stream = ended;
            try {
                election.observe(electionName, listener(ended));
                ended.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | RuntimeException e) {
                log.debug("healer {}: observing the election failed: {}", selfId, LeaderElection.rootMessage(e));
            }
            // The stream broke: whoever we saw may be gone, so say "unknown" rather than a stale name.
            leader = null;
            try {
                Thread.sleep(retryDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Election.Listener listener(CompletableFuture<Void> ended) {
        return new Election.Listener() {
            @Override
            public void onNext(LeaderResponse response) {
                leader = response.getKv().getValue().toString(StandardCharsets.UTF_8);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(null);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        };
    }
}
