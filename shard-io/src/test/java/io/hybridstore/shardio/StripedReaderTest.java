package io.hybridstore.shardio;

import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.erasure.ReedSolomon;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripedReaderTest {

    private static final int K = 4;
    private static final int M = 2;
    private static final int STRIPE = 1000;

    private final Map<String, byte[]> blobs = new HashMap<>();
    private final List<String> fetched = new ArrayList<>();
    private final StripedReader reader = new StripedReader(new StripeFetcher(shard -> {
        synchronized (fetched) {
            fetched.add(shard.blob());
        }
        byte[] bytes = blobs.get(shard.blob());
        return bytes == null || Checksums.crc32c(bytes) != shard.crc32c() ? Optional.empty() : Optional.of(bytes);
    }));

    @Test
    void readsEveryStripeInOrderFromTheDataShardsAlone() throws IOException {
        byte[] value = value(2500);
        ErasureCodedPart part = store(value, value);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> bad = reader.read(part, 0, 2, (bytes, length) -> out.write(bytes, 0, length));

        assertThat(out.toByteArray()).isEqualTo(value);
        assertThat(bad).isEmpty();
        assertThat(fetched).as("no parity is fetched while every data shard is intact")
                .allMatch(blob -> Integer.parseInt(blob.substring(blob.lastIndexOf('.') + 1)) < K);
    }

    @Test
    void decodesAroundMissingAndCorruptShardsAndReportsThem() throws IOException {
        byte[] value = value(2500);
        ErasureCodedPart part = store(value, value);
        blobs.remove("s1.0");
        blobs.get("s2.3")[0] ^= 1;

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> bad = reader.read(part, 0, 2, (bytes, length) -> out.write(bytes, 0, length));

        assertThat(out.toByteArray()).isEqualTo(value);
        assertThat(bad).containsExactly("n0/s1.0", "n3/s2.3");
    }

    @Test
    void aStripeWithMoreThanMShardsLostIsUnavailable() {
        byte[] value = value(2500);
        ErasureCodedPart part = store(value, value);
        blobs.remove("s1.0");
        blobs.remove("s1.4");
        blobs.remove("s1.5");

        assertThatThrownBy(() -> reader.read(part, 0, 2, (bytes, length) -> { }))
                .isInstanceOf(StripeUnavailableException.class).hasMessageContaining("stripe 1");
    }

    @Test
    void aWholeReadThatDoesNotMatchTheShaNeverDeliversTheLastStripe() {
        byte[] value = value(2500);
        byte[] other = value.clone();
        other[0] ^= 1;
        ErasureCodedPart part = store(value, other);
        List<Integer> delivered = new ArrayList<>();

        assertThatThrownBy(() -> reader.read(part, 0, 2, (bytes, length) -> delivered.add(length)))
                .isInstanceOf(StripeUnavailableException.class).hasMessageContaining("SHA-256");
        assertThat(delivered).containsExactly(STRIPE, STRIPE);
    }

    @Test
    void aRangeReadsOnlyItsStripes() throws IOException {
        byte[] value = value(2500);
        ErasureCodedPart part = store(value, value);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.read(part, 1, 1, (bytes, length) -> out.write(bytes, 0, length));

        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(value, STRIPE, 2 * STRIPE));
        assertThat(fetched).allMatch(blob -> blob.startsWith("s1."));
    }

    @Test
    void theFetcherFetchesOnlyTheCandidates() {
        byte[] value = value(STRIPE);
        ErasureCodedPart part = store(value, value);

        FetchedStripe stripe = new StripeFetcher(shard -> Optional.ofNullable(blobs.get(shard.blob())))
                .fetch(K, M, part.stripes().getFirst(), shard -> shard.index() != 1);

        assertThat(stripe.intact()).isEqualTo(K);
        assertThat(stripe.shards()[1]).isNull();
        assertThat(stripe.shards()[K]).isNotNull();
    }

    /** Stores {@code value} as RS(4, 2) stripes of 1000 bytes on nodes n0..n5; the manifest hashes {@code hashed}. */
    private ErasureCodedPart store(byte[] value, byte[] hashed) {
        ReedSolomon codec = ReedSolomon.create(K, M);
        List<Stripe> stripes = new ArrayList<>();
        for (int offset = 0, s = 0; offset < value.length; offset += STRIPE, s++) {
            int length = Math.min(STRIPE, value.length - offset);
            byte[][] shards = codec.split(value, offset, length).shards();
            codec.encode(shards);
            List<Shard> refs = new ArrayList<>();
            for (int i = 0; i < K + M; i++) {
                String blob = "s" + s + "." + i;
                blobs.put(blob, shards[i]);
                refs.add(new Shard(i, "n" + i, blob, Checksums.crc32c(shards[i])));
            }
            stripes.add(new Stripe(length, shards[0].length, refs));
        }
        return new ErasureCodedPart(K, M, value.length, Checksums.sha256Hex(hashed), stripes);
    }

    private static byte[] value(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
