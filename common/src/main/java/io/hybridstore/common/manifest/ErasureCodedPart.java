package io.hybridstore.common.manifest;

import java.util.List;

/** Bytes stored as Reed-Solomon RS(k, m) stripes; any k intact shards of a stripe are enough to read it. */
public record ErasureCodedPart(int k, int m, long length, String sha256, List<Stripe> stripes) {

    public ErasureCodedPart {
        stripes = List.copyOf(stripes);
    }
}
