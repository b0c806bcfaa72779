package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Valid but extreme bodies, and bodies that only look like UTF-8 JSON: each gets a documented answer at once. */
class HostileInputTest {

    private final Api api = new Api(LocalCluster.get().gatewayUrl());

    @Test
    void aFieldHybridBodyWhoseFieldNamesWouldNotFitAManifestIsRefusedAndNothingIsStored() {
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        String key = "e2e/hostile/many-fields";
        long before = usage();

        Api.Response write = api.write(key, "field_hybrid", body.append('}').toString());

        assertThat(write.status()).as(write.text()).isEqualTo(422);
        assertThat(write.json().path("error").asString()).isEqualTo("too_many_fields");
        assertThat(api.read(key).status()).isEqualTo(404);
        assertThat(usage()).as("no blob was left behind").isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"replication", "ec", "field_hybrid"})
    void longNumbersAndNamesTheCheckAcceptsCanBeWrittenAndMergedInto(String strategy) {
        String key = "e2e/hostile/long-literals/" + strategy;
        String name = "n".repeat(60_000);
        String number = "9".repeat(1_001);
        String json = "{\"" + name + "\":" + number + ",\"like_count\":1}";

        Api.Response write = api.write(key, strategy, json);
        assertThat(write.status()).as(write.text()).isEqualTo(200);
        Api.Response merge = api.post("/write?key=" + Api.encode(key) + "&merge=true", "application/json",
                "{\"like_count\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(merge.status()).as(merge.text()).isEqualTo(200);

        assertThat(api.read(key).text()).isEqualTo("{\"" + name + "\":" + number + ",\"like_count\":2}");
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"replication", "ec", "field_hybrid"})
    void aUtf16BodyIsRefused(String strategy) {
        String key = "e2e/hostile/utf16/" + strategy;
        Api.Response write = api.write(key, strategy, false,
                "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16LE));
        assertThat(write.status()).as(write.text()).isEqualTo(422);
        assertThat(write.json().path("error").asString()).isEqualTo("invalid_json");
        assertThat(api.read(key).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "EDA080", "F4908080"})
    void overlongFormsSurrogatesAndCodePointsAboveTheLastAreRefused(String valueHex) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"a\":\"".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(HexFormat.of().parseHex(valueHex));
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        for (String strategy : new String[]{"replication", "ec", "field_hybrid"}) {
            Api.Response write = api.write("e2e/hostile/utf8/" + valueHex, strategy, false, body.toByteArray());
            assertThat(write.status()).as(strategy + ": " + write.text()).isEqualTo(422);
            assertThat(write.json().path("error").asString()).isEqualTo("invalid_json");
        }
    }

    private long usage() {
        return api.get("/storage_usage").json().path("total_system_size").asLong();
    }
}
