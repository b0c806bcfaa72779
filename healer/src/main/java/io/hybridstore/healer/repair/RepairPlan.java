package io.hybridstore.healer.repair;

import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.node.NodeInfo;

import java.util.List;

/** What one manifest needs: new replicas of its replicated part and new shards of its stripes. */
public record RepairPlan(List<ReplicaFix> replicas, List<StripeFix> stripes) {

    public RepairPlan {
        replicas = List.copyOf(replicas);
        stripes = List.copyOf(stripes);
    }

    public boolean isEmpty() {
        return replicas.isEmpty() && stripes.isEmpty();
    }

    public int blobCount() {
        return replicas.size() + stripes.stream().mapToInt(s -> s.shards().size()).sum();
    }

    /** A replica to write on {@code target} as {@code newBlob}, replacing {@code replaced} (null: one the write never made). */
    public record ReplicaFix(Replica replaced, NodeInfo target, String newBlob) {
    }

    /** The shards of stripe {@code stripe} to rebuild. */
    public record StripeFix(int stripe, List<ShardFix> shards) {

        public StripeFix {
            shards = List.copyOf(shards);
        }
    }

    /** Shard {@code index} to write on {@code target} as {@code newBlob}, replacing {@code replaced} (null: never written). */
    public record ShardFix(int index, Shard replaced, NodeInfo target, String newBlob) {
    }
}
