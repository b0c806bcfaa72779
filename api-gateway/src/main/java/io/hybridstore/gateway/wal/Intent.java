package io.hybridstore.gateway.wal;

import io.hybridstore.common.wal.WalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * An open intent. It ends in exactly one of three ways: {@link #committed()}, {@link #aborted()}, or
 * {@link #leaveOpen(String)} when the outcome is unknown (an etcd commit that timed out may still have happened),
 * in which case the healer settles it later by comparing the intent's version with the committed one.
 */
public final class Intent {

    private static final Logger log = LoggerFactory.getLogger(Intent.class);

    private final IntentLog intentLog;
    private final WalRecord pending;
    private final Clock clock;

    Intent(IntentLog intentLog, WalRecord pending, Clock clock) {
        this.intentLog = intentLog;
        this.pending = pending;
        this.clock = clock;
    }

    public WalRecord record() {
        return pending;
    }

    /**
     * Closes the intent as committed. The commit already happened in etcd, so a log failure here is only
     * logged: the healer sees a PENDING whose version is the committed one and leaves it alone.
     */
    public void committed() {
        closeQuietly(WalRecord.Type.COMMITTED);
    }

    /** Closes the intent as aborted, after the caller removed what it wrote. */
    public void aborted() {
        closeQuietly(WalRecord.Type.ABORTED);
    }

    public void leaveOpen(String reason) {
        log.warn("Leaving intent {} ({} {} version {}) open for the healer: {}", pending.txId(),
                pending.operation(), pending.key(), pending.version(), reason);
    }

    private void closeQuietly(WalRecord.Type outcome) {
        try {
            intentLog.append(pending.close(outcome, clock.millis()));
        } catch (LogUnavailableException e) {
            log.warn("Could not append {} for intent {}; the healer will settle it: {}", outcome, pending.txId(),
                    e.getMessage());
        }
    }
}
