package io.hybridstore.storagenode.api;

import java.util.List;

/** Body of {@code POST /blobs/check}; {@code verify} (default true) reads each blob and checks its CRC32C. */
record CheckRequest(List<String> ids, Boolean verify) {

    boolean verifying() {
        return verify == null || verify;
    }
}
