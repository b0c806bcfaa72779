package io.hybridstore.benchmark.ycsb;

import io.hybridstore.benchmark.load.GatewayClient;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;
import site.ycsb.measurements.Measurements;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;

/**
 * YCSB binding for HybridStore's public API: a record is one JSON object of string fields, stored under
 * {@code <key-prefix><table>/<key>} with the strategy of the {@code hybridstore.strategy} property. An update is
 * one merge write ({@code merge=true}): the gateway lays the given fields over the stored record atomically, so
 * concurrent updates of one record's different fields all survive, and an update costs one request. With
 * {@code field_hybrid}, single-field updates are also reported per field and outcome, as
 * {@code UPDATE-field0-PURE-HOT} or {@code UPDATE-field0-COLD}.
 *
 * <p>Properties: {@code hybridstore.url} (default http://localhost:8000), {@code hybridstore.strategy}
 * (replication, ec or field_hybrid; default replication), {@code hybridstore.key-prefix} (default ycsb/),
 * {@code hybridstore.timeout-ms} (default 30000).
 */
public final class HybridStoreClient extends DB {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> RECORD = new TypeReference<>() {
    };
    private static final List<String> STRATEGIES = List.of("replication", "ec", "field_hybrid");

    /**
     * YCSB makes one DB per client thread; they share one HTTP client (one connection pool, one selector thread)
     * per URL, created by the first thread that needs it.
     */
    private static final Map<String, GatewayClient> GATEWAYS = new ConcurrentHashMap<>();

    private GatewayClient gateway;
    private String strategy;
    private String keyPrefix;

    @Override
    public void init() throws DBException {
        Properties properties = getProperties();
        String url = properties.getProperty("hybridstore.url", "http://localhost:8000");
        strategy = properties.getProperty("hybridstore.strategy", "replication");
        if (!STRATEGIES.contains(strategy)) {
            throw new DBException("hybridstore.strategy must be one of " + STRATEGIES + ", not " + strategy);
        }
        keyPrefix = properties.getProperty("hybridstore.key-prefix", "ycsb/");
        Duration timeout = Duration.ofMillis(Long.parseLong(properties.getProperty("hybridstore.timeout-ms", "30000")));
        gateway = GATEWAYS.computeIfAbsent(url, u -> new GatewayClient(u, timeout));
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        GatewayClient.Response response = gateway.read(key(table, key));
        if (!response.ok()) {
            return status(response.status());
        }
        try {
            for (Map.Entry<String, String> field : JSON.readValue(response.body(), RECORD).entrySet()) {
                if (fields == null || fields.contains(field.getKey())) {
                    result.put(field.getKey(), new StringByteIterator(field.getValue()));
                }
            }
            return Status.OK;
        } catch (JacksonException e) {
            return Status.UNEXPECTED_STATE;
        }
    }

    @Override
    public Status scan(String table, String startKey, int recordCount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        // The public API has no ordered listing of keys.
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        Map<String, String> fields = new LinkedHashMap<>();
        StringByteIterator.putAllAsStrings(fields, values);
        long start = System.nanoTime();
        GatewayClient.Response answer = gateway.merge(key(table, key), strategy, JSON.writeValueAsBytes(fields));
        if (answer.ok() && strategy.equals("field_hybrid") && fields.size() == 1) {
            measureTier(fields.keySet().iterator().next(), answer.body(), (System.nanoTime() - start) / 1000);
        }
        return status(answer.status());
    }

    /**
     * Measures a {@code field_hybrid} update of one field a second time, as {@code UPDATE-<field>-PURE-HOT} or
     * {@code UPDATE-<field>-COLD} after what the gateway answered: YCSB's report then says, per field, how many
     * updates left the cold part alone and at what latency, which is what learned hot fields change.
     */
    private static void measureTier(String field, byte[] answer, long micros) {
        boolean pureHot;
        try {
            pureHot = JSON.readTree(answer).path("is_pure_hot_update").asBoolean();
        } catch (JacksonException e) {
            return;
        }
        Measurements.getMeasurements().measure("UPDATE-" + field + (pureHot ? "-PURE-HOT" : "-COLD"),
                (int) Math.min(micros, Integer.MAX_VALUE));
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        Map<String, String> record = new LinkedHashMap<>();
        StringByteIterator.putAllAsStrings(record, values);
        return write(table, key, record);
    }

    @Override
    public Status delete(String table, String key) {
        return status(gateway.delete(key(table, key)));
    }

    private Status write(String table, String key, Map<String, String> record) {
        return status(gateway.write(key(table, key), strategy, false, JSON.writeValueAsBytes(record)));
    }

    private String key(String table, String key) {
        return keyPrefix + table + "/" + key;
    }

    private static Status status(int httpStatus) {
        return switch (httpStatus) {
            case 200 -> Status.OK;
            case 404 -> Status.NOT_FOUND;
            case 503 -> Status.SERVICE_UNAVAILABLE;
            case -1 -> Status.ERROR;
            default -> new Status("HTTP_" + httpStatus, "the gateway answered " + httpStatus);
        };
    }
}
