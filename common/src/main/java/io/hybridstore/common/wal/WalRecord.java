package io.hybridstore.common.wal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hybridstore.common.manifest.BlobRef;

import java.util.List;

/**
 * One record of the write-ahead log of intents. A {@link Type#PENDING} intent is appended before any blob is
 * written and names every blob the operation may create, so that a gateway dying at any instant leaves enough
 * behind for the healer to roll the operation back; {@link Type#COMMITTED} or {@link Type#ABORTED} closes it.
 * Records are keyed by object key so that one key's records stay in order on one partition.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WalRecord(
        Type type,
        String txId,
        Operation operation,
        String key,
        String version,
        List<BlobRef> blobs,
        long timestamp,
        String gateway) {

    public enum Type { PENDING, COMMITTED, ABORTED }

    public enum Operation { WRITE, DELETE }

    public WalRecord {
        blobs = blobs == null ? List.of() : List.copyOf(blobs);
    }

    /** The same PENDING record, stamped {@code timestamp}: the operation is still running. */
    public WalRecord heartbeat(long timestamp) {
        return new WalRecord(type, txId, operation, key, version, blobs, timestamp, gateway);
    }

    /** The closing record of this intent, carrying the same transaction id, key and version. */
    public WalRecord close(Type outcome, long timestamp) {
        return new WalRecord(outcome, txId, operation, key, version, List.of(), timestamp, gateway);
    }
}
