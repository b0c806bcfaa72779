package io.hybridstore.common.node;

import java.nio.charset.StandardCharsets;

/** A storage node did not do what was asked: unreachable, overloaded (503) or refusing. */
public final class StorageNodeException extends RuntimeException {

    private final String nodeId;
    private final int status;

    private StorageNodeException(String nodeId, int status, String message, Throwable cause) {
        super(message, cause);
        this.nodeId = nodeId;
        this.status = status;
    }

    static StorageNodeException status(NodeInfo node, String operation, int status, byte[] body) {
        String detail = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return new StorageNodeException(node.id(), status,
                node.id() + " answered " + status + " to " + operation + (detail.isEmpty() ? "" : ": " + detail), null);
    }

    static StorageNodeException unreachable(NodeInfo node, String operation, Throwable cause) {
        return new StorageNodeException(node.id(), 0,
                node.id() + " unreachable for " + operation + ": " + cause, cause);
    }

    public String nodeId() {
        return nodeId;
    }

    /** The HTTP status the node answered, or 0 when it could not be reached. */
    public int status() {
        return status;
    }
}
