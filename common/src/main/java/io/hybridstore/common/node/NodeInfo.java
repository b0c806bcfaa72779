package io.hybridstore.common.node;

import java.util.Objects;

/** A storage node as registered in etcd under {@code nodes/<id>}: its id and the base URL of its HTTP API. */
public record NodeInfo(String id, String url) {

    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
