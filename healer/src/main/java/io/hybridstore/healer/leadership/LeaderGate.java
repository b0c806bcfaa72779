package io.hybridstore.healer.leadership;

/**
 * Asked before every repair, rollback or deletion: only the elected healer may change the cluster.
 */
public interface LeaderGate {

    /**
     * True only while this healer holds the election and its lease is known to be alive. It turns false as soon as
     * the lease cannot be confirmed any more, without waiting for etcd to say so, because a partitioned leader must
     * stop before another healer can be elected.
     */
    boolean isLeader();
}
