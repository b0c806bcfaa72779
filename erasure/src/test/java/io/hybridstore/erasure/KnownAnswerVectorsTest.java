package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity must match, byte for byte, the known-answer vectors in {@code rs-cauchy-vectors.json} on the test classpath:
 * parity as ISA-L computes it, so a backend that agrees with them writes shards ISA-L can decode.
 */
class KnownAnswerVectorsTest {

    private static final String VECTORS = "/rs-cauchy-vectors.json";
    private static final Pattern VECTOR = Pattern.compile("\\{\\s*\"k\":\\s*(\\d+),\\s*\"m\":\\s*(\\d+),"
            + "\\s*\"shard_size\":\\s*(\\d+),\\s*\"data\":\\s*\\[([^]]*)],\\s*\"parity\":\\s*\\[([^]]*)]\\s*}");
    private static final Pattern HEX = Pattern.compile("\"([0-9a-fA-F]*)\"");

    record Vector(int k, int m, int size, List<byte[]> data, List<byte[]> parity) {
        @Override
        public String toString() {
            return "RS(" + k + "," + m + ") x " + size + " B";
        }
    }

    static List<Vector> vectors() throws IOException {
        String json;
        try (InputStream in = KnownAnswerVectorsTest.class.getResourceAsStream(VECTORS)) {
            assertThat(in).as(VECTORS + " on the test classpath").isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Vector> vectors = new ArrayList<>();
        Matcher matcher = VECTOR.matcher(json);
        while (matcher.find()) {
            vectors.add(new Vector(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)), hex(matcher.group(4)), hex(matcher.group(5))));
        }
        return vectors;
    }

    private static List<byte[]> hex(String list) {
        return HEX.matcher(list).results().map(r -> HexFormat.of().parseHex(r.group(1))).toList();
    }

    static Stream<Arguments> everyVectorOnEveryBackend() throws IOException {
        List<Vector> vectors = vectors();
        return TestShards.availableBackends().stream()
                .flatMap(backend -> vectors.stream().map(vector -> Arguments.of(backend, vector)));
    }

    @Test
    void fileHoldsEightShapesAtFourSizesWithDataFromTheDocumentedGenerator() throws IOException {
        List<Vector> vectors = vectors();
        assertThat(vectors).hasSize(32);
        for (Vector vector : vectors) {
            assertThat(vector.data()).containsExactly(SelfTest.knownData(vector.k(), vector.m(), vector.size()));
            assertThat(vector.parity()).hasSize(vector.m());
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyVectorOnEveryBackend")
    void encodeReproducesEveryParityByteFromHeapArrays(Backend backend, Vector vector) {
        ReedSolomon rs = ReedSolomon.create(vector.k(), vector.m(), backend);
        byte[][] shards = new byte[vector.k() + vector.m()][vector.size()];
        for (int i = 0; i < vector.k(); i++) {
            shards[i] = vector.data().get(i).clone();
        }
        rs.encode(shards);
        for (int i = 0; i < vector.m(); i++) {
            assertThat(shards[vector.k() + i]).as("parity %d", i).isEqualTo(vector.parity().get(i));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyVectorOnEveryBackend")
    void encodeReproducesEveryParityByteInNativeMemory(Backend backend, Vector vector) {
        ReedSolomon rs = ReedSolomon.create(vector.k(), vector.m(), backend);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] shards = new MemorySegment[vector.k() + vector.m()];
            for (int i = 0; i < shards.length; i++) {
                shards[i] = arena.allocate(vector.size());
                if (i < vector.k()) {
                    shards[i].copyFrom(MemorySegment.ofArray(vector.data().get(i)));
                }
            }
            rs.encode(shards);
            for (int i = 0; i < vector.m(); i++) {
                assertThat(shards[vector.k() + i].toArray(ValueLayout.JAVA_BYTE)).as("parity %d", i)
                        .isEqualTo(vector.parity().get(i));
            }
        }
    }
}
