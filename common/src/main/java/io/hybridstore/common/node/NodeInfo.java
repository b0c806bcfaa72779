package io.hybridstore.common.node;

import java.util.Objects;

/**
 * A storage node as registered in etcd under {@code nodes/<id>}: its id, the base URL of its HTTP API (listing,
 * checks, status) and the {@code host:port} of its {@link BlobWire} listener (blobs).
 */
public record NodeInfo(String id, String url, String wire) {

    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(wire, "wire");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
