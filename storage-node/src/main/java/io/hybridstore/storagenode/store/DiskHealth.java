package io.hybridstore.storagenode.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The one place every I/O failure of the data directory goes (after Kafka's LogDirFailureChannel): it is logged,
 * counted, and the disk is marked bad, after which the node accepts no more writes until an operator restarts it.
 * A disk that failed once is not trusted again by guesswork.
 */
final class DiskHealth {

    private static final Logger log = LoggerFactory.getLogger(DiskHealth.class);

    private final StoreMetrics metrics;
    private volatile String failure;

    DiskHealth(StoreMetrics metrics) {
        this.metrics = metrics;
    }

    void failed(String operation, IOException cause) {
        metrics.ioError();
        if (failure == null) {
            log.error("I/O failure during {}; marking the data directory bad and refusing writes from now on",
                    operation, cause);
        } else {
            log.warn("Further I/O failure during {}: {}", operation, cause.toString());
        }
        failure = operation + ": " + cause;
    }

    boolean healthy() {
        return failure == null;
    }

    String failure() {
        return failure;
    }
}
