package io.hybridstore.storagenode.api;

import java.util.List;

/** Body of {@code POST /blobs/check}. */
record CheckRequest(List<String> ids) {
}
