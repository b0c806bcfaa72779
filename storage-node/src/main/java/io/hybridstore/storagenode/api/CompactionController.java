package io.hybridstore.storagenode.api;

import io.hybridstore.storagenode.store.BlobStore;
import io.hybridstore.storagenode.store.CompactionResult;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * An operator's (and the reliability tests') trigger for compaction: every sealed segment is compacted now, not
 * only those the periodic pass would pick, so its effect is seen at once.
 */
@RestController
class CompactionController {

    private final BlobStore store;

    CompactionController(BlobStore store) {
        this.store = store;
    }

    record CompactionBody(List<CompactionResult> segments) {
    }

    @PostMapping("/compact")
    CompactionBody compact() {
        return new CompactionBody(store.compactAll());
    }
}
