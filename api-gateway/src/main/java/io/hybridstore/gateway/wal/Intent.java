package io.hybridstore.gateway.wal;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.wal.WalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An open intent. It ends in exactly one of three ways: {@link #committed()}, {@link #aborted()}, or
 * {@link #leaveOpen(String)} when the outcome is unknown (an etcd commit that timed out may still have happened),
 * in which case the healer settles it later by comparing the intent's version with the committed one. Until then
 * its PENDING record is repeated every heartbeat interval, so a slow operation is not mistaken for a dead one.
 */
public final class Intent {

    private static final Logger log = LoggerFactory.getLogger(Intent.class);

    private final IntentLog intentLog;
    private WalRecord pending;
    private final Clock clock;
    private ScheduledFuture<?> heartbeat;
    private boolean closed;

    Intent(IntentLog intentLog, WalRecord pending, Clock clock) {
        this.intentLog = intentLog;
        this.pending = pending;
        this.clock = clock;
    }

    synchronized void heartbeatWith(ScheduledExecutorService scheduler, Duration interval) {
        heartbeat = scheduler.scheduleAtFixedRate(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized WalRecord record() {
        return pending;
    }

    /**
     * Adds blobs the operation is about to create beyond those it began with (a put moved off a node that just
     * died), as a new PENDING record, and waits for the log to take it: the healer keeps the latest PENDING of an
     * intent, so a crash after the put still leaves the blob named for rollback. Later heartbeats carry them too.
     */
    public synchronized void extend(List<BlobRef> blobs) {
        List<BlobRef> all = new ArrayList<>(pending.blobs());
        all.addAll(blobs);
        WalRecord extended = new WalRecord(WalRecord.Type.PENDING, pending.txId(), pending.operation(), pending.key(),
                pending.version(), all, clock.millis(), pending.gateway());
        intentLog.append(extended);
        pending = extended;
    }

    /**
     * Closes the intent as committed. The commit already happened in etcd, so the record is not waited for: if it
     * is lost, the healer sees a PENDING whose version is the committed one and leaves it alone.
     */
    public void committed() {
        close(WalRecord.Type.COMMITTED);
    }

    /** Closes the intent as aborted, after the caller removed what it wrote (the healer would remove it again). */
    public void aborted() {
        close(WalRecord.Type.ABORTED);
    }

    public void leaveOpen(String reason) {
        stopHeartbeat();
        log.warn("Leaving intent {} ({} {} version {}) open for the healer: {}", pending.txId(),
                pending.operation(), pending.key(), pending.version(), reason);
    }

    /** Synchronized with {@link #beat()}, so a heartbeat is never sent after the closing record. */
    private synchronized void close(WalRecord.Type outcome) {
        stopHeartbeat();
        intentLog.appendInBackground(pending.close(outcome, clock.millis()));
    }

    private synchronized void beat() {
        if (!closed) {
            intentLog.appendInBackground(pending.heartbeat(clock.millis()));
        }
    }

    private synchronized void stopHeartbeat() {
        closed = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }
}
