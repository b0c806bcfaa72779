package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writers on one key — every strategy, hot-only changes and cold changes — and readers at the same time.
 * Every read must be exactly one of the values written, never a mix of two versions.
 */
class ConcurrencyStormTest {

    private static final String KEY = "e2e/storm";
    private static final String[] STRATEGIES = {"replication", "ec", "field_hybrid"};

    private final Api api = new Api(LocalCluster.get().gatewayUrl());

    @Test
    void readersNeverSeeAMixOfVersionsAndNothingIsLeftBehind() throws Exception {
        long before = api.storageUsage();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        Map<String, String> acknowledgedByVersion = new ConcurrentHashMap<>();
        List<String> badReads = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        String first = value(0, 0, "cold-0");
        attempted.add(first);
        assertThat(api.write(KEY, "field_hybrid", first).status()).isEqualTo(200);

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 1; i <= 15; i++) {
                        String strategy = STRATEGIES[(writer + i) % STRATEGIES.length];
                        String cold = i % 3 == 0 ? "cold-" + writer + "-" + i : "cold-0";
                        String value = value(writer, i, cold);
                        attempted.add(value);
                        Api.Response response = api.write(KEY, strategy, value);
                        assertThat(response.status()).as(response.text()).isIn(200, 409);
                        if (response.status() == 200) {
                            acknowledgedByVersion.put(response.json().get("version").asString(), value);
                        }
                    }
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(pool.submit(() -> {
                    while (writing.get()) {
                        Api.Response read = api.read(KEY);
                        if (read.status() != 200 || !attempted.contains(read.text())) {
                            synchronized (badReads) {
                                badReads.add(read.status() + " " + read.text());
                            }
                        }
                    }
                }));
            }
            try {
                for (Future<?> writer : writers) {
                    writer.get();
                }
            } finally {
                writing.set(false);
            }
            for (Future<?> reader : readers) {
                reader.get();
            }
        }

        assertThat(badReads).as("torn, unknown or failed reads").isEmpty();
        assertThat(acknowledgedByVersion).isNotEmpty();
        Api.Response last = api.read(KEY);
        assertThat(last.status()).isEqualTo(200);
        assertThat(acknowledgedByVersion.values()).as("the final value is one acknowledged write").contains(last.text());
        assertThat(api.delete(KEY).status()).isEqualTo(200);
        assertThat(api.storageUsageOnceAt(before)).as("no orphan blob after the storm").isEqualTo(before);
    }

    private static String value(int writer, int i, String cold) {
        return "{\"like_count\":" + (writer * 1000 + i) + ",\"writer\":" + writer + ",\"cold\":\"" + cold
                + "\",\"padding\":\"" + "p".repeat(2000) + "\"}";
    }

}
