package io.hybridstore.gateway.read;

import io.hybridstore.common.concurrent.FanOut;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.common.node.NodeBlobs;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.erasure.ReedSolomon;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the bytes of one part, verifying every blob against the CRC32C in the manifest: a replica that does not
 * verify is skipped for the next; an erasure-coded stripe reads its k data shards and decodes only when one of
 * them is missing or corrupt, fetching parity then. The blobs it had to read around are reported.
 */
@Component
public class PartReader {

    private final NodeBlobs blobs;

    PartReader(NodeDirectory nodes, StorageNodeClient client) {
        this.blobs = new NodeBlobs(nodes, client);
    }

    /** A part's bytes, and the blobs ("node/blob") that were missing or corrupt on the way. */
    public record PartBytes(byte[] bytes, List<String> badBlobs) {
    }

    public PartBytes readReplicated(ReplicatedPart part) {
        List<String> bad = new ArrayList<>();
        for (Replica replica : part.replicas()) {
            Optional<byte[]> bytes = blobs.fetch(replica.node(), replica.blob(), replica.crc32c());
            if (bytes.isPresent()) {
                return new PartBytes(bytes.get(), bad);
            }
            bad.add(replica.node() + "/" + replica.blob());
        }
        throw new ObjectUnavailableException("none of the " + part.replicas().size()
                + " replicas could be read intact: " + bad);
    }

    public PartBytes readStriped(ErasureCodedPart part) {
        ReedSolomon codec = ReedSolomon.create(part.k(), part.m());
        byte[] bytes = new byte[Math.toIntExact(part.length())];
        List<String> bad = new ArrayList<>();
        int offset = 0;
        for (Stripe stripe : part.stripes()) {
            byte[][] shards = new byte[part.k() + part.m()][];
            List<Shard> data = stripe.shards().stream().filter(s -> s.index() < part.k()).toList();
            List<Shard> parity = stripe.shards().stream().filter(s -> s.index() >= part.k()).toList();
            int intact = fetchInto(data, shards, bad);
            if (intact < part.k()) {
                intact += fetchInto(parity, shards, bad);
                if (intact < part.k()) {
                    throw new ObjectUnavailableException("stripe at offset " + offset + " has " + intact
                            + " intact shards, " + part.k() + " needed; bad: " + bad);
                }
                codec.reconstructData(shards);
            }
            int length = Math.toIntExact(stripe.length());
            byte[] joined = codec.join(shards, length);
            System.arraycopy(joined, 0, bytes, offset, length);
            offset += length;
        }
        return new PartBytes(bytes, bad);
    }

    /** Fetches the shards in parallel into {@code shards[index]}; returns how many arrived intact. */
    private int fetchInto(List<Shard> wanted, byte[][] shards, List<String> bad) {
        List<Optional<byte[]>> fetched;
        try {
            fetched = FanOut.map(wanted, s -> blobs.fetch(s.node(), s.blob(), s.crc32c()));
        } catch (FanOut.FanOutInterruptedException e) {
            throw new ObjectUnavailableException("interrupted while reading");
        }
        int intact = 0;
        for (int i = 0; i < wanted.size(); i++) {
            Optional<byte[]> shard = fetched.get(i);
            if (shard.isPresent()) {
                shards[wanted.get(i).index()] = shard.get();
                intact++;
            } else {
                bad.add(wanted.get(i).node() + "/" + wanted.get(i).blob());
            }
        }
        return intact;
    }
}
