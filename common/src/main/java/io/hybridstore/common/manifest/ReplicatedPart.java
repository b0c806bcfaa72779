package io.hybridstore.common.manifest;

import java.util.List;

/** Bytes stored as identical copies on distinct nodes; any one intact replica is enough to read them. */
public record ReplicatedPart(long length, String sha256, List<Replica> replicas) {

    public ReplicatedPart {
        replicas = List.copyOf(replicas);
    }
}
