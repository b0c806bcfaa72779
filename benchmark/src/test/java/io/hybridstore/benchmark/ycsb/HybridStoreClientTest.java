package io.hybridstore.benchmark.ycsb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;
import site.ycsb.measurements.Measurements;
import site.ycsb.measurements.exporter.MeasurementsExporter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binding against an in-process stand-in for the public API that keeps whole objects by key and merges. */
class HybridStoreClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // What YCSB's client does before it makes the bindings; the measurements are one static instance.
        Measurements.setProperties(new Properties());
    }

    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, String> strategies = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private HybridStoreClient client;

    @BeforeEach
    void start() throws IOException, DBException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/write", this::write);
        server.createContext("/read/", exchange -> {
            byte[] value = objects.get(exchange.getRequestURI().getPath().substring("/read/".length()));
            answer(exchange, value == null ? 404 : 200, value == null ? "{\"error\":\"not_found\"}".getBytes() : value);
        });
        server.createContext("/delete/", exchange -> {
            byte[] removed = objects.remove(exchange.getRequestURI().getPath().substring("/delete/".length()));
            answer(exchange, removed == null ? 404 : 200, "{}".getBytes());
        });
        server.start();
        client = client("ec");
    }

    private HybridStoreClient client(String strategy) throws DBException {
        HybridStoreClient binding = new HybridStoreClient();
        Properties properties = new Properties();
        properties.setProperty("hybridstore.url", "http://127.0.0.1:" + server.getAddress().getPort());
        properties.setProperty("hybridstore.strategy", strategy);
        binding.setProperties(properties);
        binding.init();
        return binding;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void write(HttpExchange exchange) throws IOException {
        calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        Map<String, String> query = new HashMap<>();
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        String key = query.get("key");
        byte[] body = exchange.getRequestBody().readAllBytes();
        boolean merge = "true".equals(query.get("merge"));
        // As if field0 were the one hot field: a merge of it alone leaves the cold part as it was.
        boolean pureHot = merge && JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {
        }).keySet().equals(Set.of("field0"));
        if (merge) {
            byte[] stored = objects.get(key);
            if (stored == null) {
                answer(exchange, 404, "{\"error\":\"not_found\"}".getBytes());
                return;
            }
            Map<String, Object> merged = JSON.readValue(stored, new TypeReference<LinkedHashMap<String, Object>>() {
            });
            merged.putAll(JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {
            }));
            body = JSON.writeValueAsBytes(merged);
        }
        objects.put(key, body);
        strategies.put(key, query.get("strategy"));
        answer(exchange, 200, ("{\"status\":\"ok\",\"is_pure_hot_update\":" + pureHot + "}").getBytes());
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** In the given order, as YCSB's workloads build them. */
    private static Map<String, ByteIterator> fields(String... namesAndValues) {
        Map<String, ByteIterator> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], new StringByteIterator(namesAndValues[i + 1]));
        }
        return values;
    }

    private Map<String, String> read(String key, Set<String> fields) {
        Map<String, ByteIterator> result = new HashMap<>();
        assertThat(client.read("usertable", key, fields, result)).isEqualTo(Status.OK);
        return StringByteIterator.getStringMap(result);
    }

    @Test
    void insertStoresOneJsonObjectWithTheConfiguredStrategy() {
        assertThat(client.insert("usertable", "user1", fields("field0", "a \"quoted\" \\ value", "field1", "b")))
                .isEqualTo(Status.OK);

        assertThat(strategies).containsEntry("ycsb/usertable/user1", "ec");
        assertThat(new String(objects.get("ycsb/usertable/user1"), StandardCharsets.UTF_8))
                .isEqualTo("{\"field0\":\"a \\\"quoted\\\" \\\\ value\",\"field1\":\"b\"}");
        assertThat(read("user1", null)).containsExactlyInAnyOrderEntriesOf(
                Map.of("field0", "a \"quoted\" \\ value", "field1", "b"));
    }

    @Test
    void updateMergesTheGivenFieldsIntoTheStoredObject() {
        client.insert("usertable", "user2", fields("field0", "old0", "field1", "old1", "field2", "old2"));

        calls.clear();

        assertThat(client.update("usertable", "user2", fields("field1", "new1"))).isEqualTo(Status.OK);

        assertThat(calls).containsExactly("POST /write?key=ycsb%2Fusertable%2Fuser2&strategy=ec&merge=true");

        assertThat(read("user2", null)).containsExactlyInAnyOrderEntriesOf(
                Map.of("field0", "old0", "field1", "new1", "field2", "old2"));
    }

    @Test
    void fieldHybridUpdatesOfOneFieldAreAlsoMeasuredPerFieldAndOutcome() throws Exception {
        HybridStoreClient hybrid = client("field_hybrid");
        hybrid.insert("usertable", "user5", fields("field0", "a", "field1", "b"));

        assertThat(hybrid.update("usertable", "user5", fields("field0", "a2"))).isEqualTo(Status.OK);
        assertThat(hybrid.update("usertable", "user5", fields("field0", "a3"))).isEqualTo(Status.OK);
        assertThat(hybrid.update("usertable", "user5", fields("field1", "b2"))).isEqualTo(Status.OK);
        assertThat(hybrid.update("usertable", "user5", fields("field0", "a4", "field1", "b3"))).isEqualTo(Status.OK);

        Map<String, Long> operations = new HashMap<>();
        Measurements.getMeasurements().exportMeasurements(new MeasurementsExporter() {
            @Override
            public void write(String metric, String measurement, int value) {
                write(metric, measurement, (long) value);
            }

            @Override
            public void write(String metric, String measurement, long value) {
                if (measurement.equals("Operations")) {
                    operations.put(metric, value);
                }
            }

            @Override
            public void write(String metric, String measurement, double value) {
            }

            @Override
            public void close() {
            }
        });
        assertThat(operations).containsEntry("UPDATE-field0-PURE-HOT", 2L).containsEntry("UPDATE-field1-COLD", 1L)
                .doesNotContainKeys("UPDATE-field0-COLD", "UPDATE-field1-PURE-HOT");
    }

    @Test
    void readReturnsOnlyTheRequestedFields() {
        client.insert("usertable", "user3", fields("field0", "x", "field1", "y"));

        assertThat(read("user3", Set.of("field1"))).containsExactlyEntriesOf(Map.of("field1", "y"));
    }

    @Test
    void missingRecordsAreNotFoundForReadUpdateAndDelete() {
        assertThat(client.read("usertable", "nobody", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
        assertThat(client.update("usertable", "nobody", fields("field0", "x"))).isEqualTo(Status.NOT_FOUND);
        assertThat(client.delete("usertable", "nobody")).isEqualTo(Status.NOT_FOUND);
        assertThat(objects).isEmpty();
    }

    @Test
    void deleteRemovesTheRecord() {
        client.insert("usertable", "user4", fields("field0", "x"));

        assertThat(client.delete("usertable", "user4")).isEqualTo(Status.OK);
        assertThat(client.read("usertable", "user4", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void anUnknownStrategyIsRefusedAtInit() {
        HybridStoreClient wrong = new HybridStoreClient();
        Properties properties = new Properties();
        properties.setProperty("hybridstore.strategy", "raid5");
        wrong.setProperties(properties);

        assertThatThrownBy(wrong::init).isInstanceOf(DBException.class)
                .hasMessageContaining("raid5");
    }
}
