package io.hybridstore.gateway.write;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.concurrent.FanOut;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.node.BlobWire;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deletes the blobs an overwrite displaced, after the write has answered, gathered per node: every {@code delay}
 * each node with displaced blobs gets one DELETE_MANY for all of them. An overwrite used to wait for a delete per
 * blob (three for a replicated value, six per stripe of an ec one), a third of the blob requests of an update-heavy
 * workload, for blobs nothing reads any more.
 *
 * <p>Nothing is lost by deleting late or not at all: no manifest references these blobs, so a gateway that
 * crashes with some still pending, a node that is down, or a queue that is full leaves garbage, which the healer's
 * collection removes. A gateway that stops normally sends what it holds first.
 */
@Component
public class Discards implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Discards.class);

    private final NodeDirectory directory;
    private final StorageNodeClient client;
    private final DiscardProperties properties;
    private final Map<String, Queue<BlobId>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final Counter deleted;
    private final Counter failed;
    private final Counter dropped;
    private final Thread sender;
    private volatile boolean closed;

    Discards(NodeDirectory directory, StorageNodeClient client, DiscardProperties properties, MeterRegistry registry) {
        this.directory = directory;
        this.client = client;
        this.properties = properties;
        Gauge.builder("hybridstore.gateway.discards.pending", held, AtomicInteger::get)
                .description("displaced blobs waiting to be deleted").register(registry);
        this.deleted = outcome(registry, "deleted");
        this.failed = outcome(registry, "failed");
        this.dropped = outcome(registry, "dropped");
        this.sender = Thread.ofPlatform().name("blob-discards").daemon().start(this::sendEvery);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("hybridstore.gateway.discards").tag("outcome", outcome)
                .description("displaced blobs by what became of them: deleted by their node, failed (node down or "
                        + "refusing) or dropped (queue full); the last two are left for garbage collection")
                .register(registry);
    }

    /** Queues the blobs for deletion and returns at once. */
    public void discard(List<BlobRef> refs) {
        if (refs.isEmpty()) {
            return;
        }
        if (closed) {
            dropped.increment(refs.size());
            return;
        }
        if (held.addAndGet(refs.size()) > properties.maxPending()) {
            held.addAndGet(-refs.size());
            dropped.increment(refs.size());
            log.debug("Left {} displaced blobs for garbage collection: {} already wait to be deleted", refs.size(),
                    properties.maxPending());
            return;
        }
        refs.forEach(ref -> pending.computeIfAbsent(ref.node(), node -> new ConcurrentLinkedQueue<>())
                .add(new BlobId(ref.blob())));
    }

    private void sendEvery() {
        while (!closed) {
            try {
                Thread.sleep(properties.delay());
            } catch (InterruptedException e) {
                return;
            }
            sendPending();
        }
    }

    /** One request per node and up to {@link BlobWire#MAX_IDS_PER_DELETE} blobs, every node at once. */
    private void sendPending() {
        List<Batch> batches = new ArrayList<>();
        pending.forEach((node, queue) -> {
            List<BlobId> ids = new ArrayList<>();
            for (BlobId id; (id = queue.poll()) != null; ) {
                ids.add(id);
                if (ids.size() == BlobWire.MAX_IDS_PER_DELETE) {
                    batches.add(new Batch(node, ids));
                    ids = new ArrayList<>();
                }
            }
            if (!ids.isEmpty()) {
                batches.add(new Batch(node, ids));
            }
        });
        if (!batches.isEmpty()) {
            FanOut.map(batches, this::send);
        }
    }

    private record Batch(String node, List<BlobId> ids) {
    }

    /** Whether the node deleted the batch. */
    private boolean send(Batch batch) {
        held.addAndGet(-batch.ids().size());
        Optional<NodeInfo> node = directory.resolve(batch.node());
        if (node.isEmpty()) {
            return leftForCollection(batch, "the node was never seen registered");
        }
        try {
            client.discardMany(node.get(), batch.ids());
            deleted.increment(batch.ids().size());
            return true;
        } catch (StorageNodeException e) {
            return leftForCollection(batch, e.getMessage());
        }
    }

    private boolean leftForCollection(Batch batch, String why) {
        failed.increment(batch.ids().size());
        log.info("Could not delete {} displaced blobs on {}; left for garbage collection: {}", batch.ids().size(),
                batch.node(), why);
        return false;
    }

    /** Stops gathering and sends what is held, each request bounded by the node timeout. */
    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        try {
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sendPending();
    }
}
