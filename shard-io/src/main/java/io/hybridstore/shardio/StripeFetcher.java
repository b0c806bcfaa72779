package io.hybridstore.shardio;

import io.hybridstore.common.concurrent.FanOut;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.manifest.Stripe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Fetches enough shards of a stripe to decode it: the data shards in parallel first (then no decoding is needed),
 * and only when some are missing or corrupt, as many parity shards as are still short, in parallel, again until
 * enough arrived or none are left. A shard whose length is not the stripe's shard size counts as corrupt.
 */
public final class StripeFetcher {

    private final ShardSource source;

    public StripeFetcher(ShardSource source) {
        this.source = source;
    }

    /** Every shard of the stripe is a candidate. */
    public FetchedStripe fetch(int k, int m, Stripe stripe) {
        return fetch(k, m, stripe, shard -> true);
    }

    /**
     * Fetches among the candidate shards into an array of k + m; throws {@link StripeUnavailableException} when fewer than k arrive
     * intact.
     */
    public FetchedStripe fetch(int k, int m, Stripe stripe, Predicate<Shard> candidate) {
        List<Shard> candidates = stripe.shards().stream().filter(candidate)
                .sorted(Comparator.comparingInt(Shard::index)).toList();
        byte[][] shards = new byte[k + m][];
        List<String> bad = new ArrayList<>();
        int intact = fetchInto(candidates.stream().filter(s -> s.index() < k).toList(), stripe, shards, bad);
        List<Shard> parity = candidates.stream().filter(s -> s.index() >= k).toList();
        for (int next = 0; intact < k && next < parity.size(); ) {
            List<Shard> round = parity.subList(next, Math.min(parity.size(), next + k - intact));
            next += round.size();
            intact += fetchInto(round, stripe, shards, bad);
        }
        if (intact < k) {
            throw new StripeUnavailableException(intact + " intact shards, " + k + " needed; bad: " + bad);
        }
        return new FetchedStripe(shards, intact, bad);
    }

    private int fetchInto(List<Shard> wanted, Stripe stripe, byte[][] shards, List<String> bad) {
        if (wanted.isEmpty()) {
            return 0;
        }
        List<Optional<byte[]>> fetched;
        try {
            fetched = FanOut.map(wanted, source::fetch);
        } catch (FanOut.FanOutInterruptedException e) {
            throw new StripeUnavailableException("interrupted while fetching shards");
        }
        int intact = 0;
        for (int i = 0; i < wanted.size(); i++) {
            Shard shard = wanted.get(i);
            Optional<byte[]> bytes = fetched.get(i).filter(b -> b.length == stripe.shardSize());
            if (bytes.isPresent()) {
                shards[shard.index()] = bytes.get();
                intact++;
            } else {
                bad.add(shard.node() + "/" + shard.blob());
            }
        }
        return intact;
    }
}
