package io.hybridstore.gateway.read;

import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.common.node.NodeBlobs;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.shardio.ShardSource;
import io.hybridstore.shardio.StripeFetcher;
import io.hybridstore.shardio.StripeUnavailableException;
import io.hybridstore.shardio.StripedReader;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the bytes of one part, verifying every blob against the CRC32C in the manifest and every whole part against
 * its SHA-256: a replica that does not verify is skipped for the next, as a bad blob; an erasure-coded part is read
 * stripe by stripe by the shared {@link StripedReader}, which decodes around missing or corrupt shards. The blobs it
 * had to read around are reported.
 */
@Component
public class PartReader {

    private final NodeBlobs blobs;
    private final StripedReader striped;

    PartReader(NodeDirectory nodes, StorageNodeClient client) {
        this.blobs = new NodeBlobs(nodes, client);
        this.striped = new StripedReader(new StripeFetcher(ShardSource.of(blobs)));
    }

    /** A part's bytes, and the blobs ("node/blob") that were missing or corrupt on the way. */
    public record PartBytes(byte[] bytes, List<String> badBlobs) {
    }

    /**
     * The first replica that matches both its CRC32C and the part's SHA-256. A replica is checked whole before any
     * of it is handed on, so a corrupt one is never partly delivered; the memory budget bounds how many are held.
     */
    public PartBytes readReplicated(ReplicatedPart part) {
        List<String> bad = new ArrayList<>();
        for (Replica replica : part.replicas()) {
            Optional<byte[]> bytes = blobs.fetch(replica.node(), replica.blob(), replica.crc32c())
                    .filter(b -> part.sha256() == null || Checksums.sha256Hex(b).equals(part.sha256()));
            if (bytes.isPresent()) {
                return new PartBytes(bytes.get(), bad);
            }
            bad.add(replica.node() + "/" + replica.blob());
        }
        throw new ObjectUnavailableException("none of the " + part.replicas().size()
                + " replicas could be read intact: " + bad);
    }

    /** Receives a read's bytes in order: {@code count} bytes of {@code bytes} from {@code offset}. */
    @FunctionalInterface
    public interface StripeSink {
        void accept(byte[] bytes, int offset, int count) throws IOException;
    }

    /** Streams the whole part to {@code sink} a stripe at a time; returns the blobs read around. */
    public List<String> streamStriped(ErasureCodedPart part, StripeSink sink) throws IOException {
        if (part.stripes().isEmpty()) {
            return List.of();
        }
        try {
            return striped.read(part, 0, part.stripes().size() - 1, (bytes, length) -> sink.accept(bytes, 0, length));
        } catch (StripeUnavailableException e) {
            throw new ObjectUnavailableException(e.getMessage());
        }
    }

    /**
     * Streams bytes {@code range} of the part: only the stripes the range covers are fetched and decoded (each
     * stripe carries its own length, so this holds for parts of any stripe sizes). Without the whole part its SHA-256
     * cannot be checked; every blob read is still checked against its CRC32C.
     */
    public List<String> streamStripedRange(ErasureCodedPart part, ByteRange range, StripeSink sink) throws IOException {
        List<Stripe> stripes = part.stripes();
        int first = -1;
        int last = -1;
        long start = 0;
        long firstStart = 0;
        for (int s = 0; s < stripes.size(); s++) {
            long end = start + stripes.get(s).length();
            if (first < 0 && range.first() < end) {
                first = s;
                firstStart = start;
            }
            if (range.last() < end) {
                last = s;
                break;
            }
            start = end;
        }
        if (first < 0 || last < 0) {
            throw new IllegalArgumentException("bytes " + range.first() + "-" + range.last() + " of a part of "
                    + part.length());
        }
        long[] position = {firstStart};
        try {
            return striped.read(part, first, last, (bytes, length) -> {
                long from = Math.max(position[0], range.first());
                long to = Math.min(position[0] + length, range.last() + 1);
                if (from < to) {
                    sink.accept(bytes, (int) (from - position[0]), (int) (to - from));
                }
                position[0] += length;
            });
        } catch (StripeUnavailableException e) {
            throw new ObjectUnavailableException(e.getMessage());
        }
    }

    /** The whole part in memory, for callers that need every byte at once (a merge, the cold fields). */
    public PartBytes readStriped(ErasureCodedPart part) {
        byte[] bytes = new byte[Math.toIntExact(part.length())];
        int[] offset = {0};
        try {
            List<String> bad = streamStriped(part, (stripe, from, length) -> {
                System.arraycopy(stripe, from, bytes, offset[0], length);
                offset[0] += length;
            });
            return new PartBytes(bytes, bad);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array does not fail", e);
        }
    }

    /** The bytes one read of this part holds at most: the decoding working set, and the HTTP client's copies. */
    static long workingSet(ErasureCodedPart part) {
        return 2 * StripedReader.workingSet(part);
    }
}
