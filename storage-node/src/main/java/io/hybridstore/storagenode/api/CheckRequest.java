package io.hybridstore.storagenode.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /blobs/check}; {@code verify} (default true) reads each blob and checks its CRC32C.
 * {@code crc32c} optionally maps some of the ids to the CRC32C their manifest recorded: a blob stored with any other
 * CRC32C is corrupt, however well its bytes verify against the CRC32C stored with them.
 */
record CheckRequest(List<String> ids, Map<String, Long> crc32c, Boolean verify) {

    boolean verifying() {
        return verify == null || verify;
    }

    Map<String, Long> expected() {
        return crc32c == null ? Map.of() : crc32c;
    }
}
