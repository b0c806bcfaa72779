package io.hybridstore.storagenode.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BlobIndexTest {

    private final BlobIndex index = new BlobIndex();

    private static IndexEntry entry(int length) {
        return new IndexEntry.Pending(1, new byte[length], 0, 0);
    }

    private static List<String> listed(Iterator<Map.Entry<String, IndexEntry>> entries) {
        List<String> ids = new ArrayList<>();
        entries.forEachRemaining(e -> ids.add(e.getKey()));
        return ids;
    }

    @Test
    void pagesInIdOrderFromAnyPointAndCountsWhatIsThere() {
        IndexEntry b = entry(2);
        index.put("c", entry(3));
        index.put("a", entry(1));
        index.put("b", b);
        index.put("a", entry(10));

        assertThat(listed(index.after(null))).containsExactly("a", "b", "c");
        assertThat(listed(index.after("a"))).containsExactly("b", "c");
        assertThat(listed(index.after("bb"))).containsExactly("c");
        assertThat(index.count()).isEqualTo(3);
        assertThat(index.bytes()).isEqualTo(15);

        assertThat(index.remove("b", entry(2))).as("an equal entry of other bytes is not the one stored").isFalse();
        assertThat(index.remove("b", b)).isTrue();
        assertThat(index.remove("c")).isNotNull();
        assertThat(index.remove("c")).isNull();
        assertThat(listed(index.after(null))).containsExactly("a");
        assertThat(index.count()).isEqualTo(1);
        assertThat(index.bytes()).isEqualTo(10);
    }

    /** Puts and removes of the same ids racing: afterwards a listing shows exactly the ids a lookup finds. */
    @Test
    void listingAgreesWithLookupsAfterRacingPutsAndRemoves() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ids.add("v01a2382182c3-0f3e-5e8c790f2bf05cd4.data." + i);
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 50_000; i++) {
                        String id = ids.get(random.nextInt(ids.size()));
                        if (random.nextBoolean()) {
                            index.put(id, entry(1));
                        } else {
                            index.remove(id);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        Map<String, IndexEntry> present = new TreeMap<>();
        for (String id : ids) {
            IndexEntry found = index.get(id);
            if (found != null) {
                present.put(id, found);
            }
        }
        assertThat(listed(index.after(null))).containsExactlyElementsOf(present.keySet());
        assertThat(index.count()).isEqualTo(present.size());
    }
}
