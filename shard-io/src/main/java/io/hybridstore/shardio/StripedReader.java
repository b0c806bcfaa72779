package io.hybridstore.shardio;

import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.erasure.ReedSolomon;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads an erasure-coded part stripe by stripe and hands each decoded stripe to a sink, so a reader holds one
 * stripe's shards however large the part. A read of the whole part also checks the part's SHA-256; the last stripe
 * is handed over only after the check, so a consumer that streams the stripes out never delivers a complete value
 * that is wrong.
 */
public final class StripedReader {

    private final StripeFetcher fetcher;

    public StripedReader(StripeFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** Receives the decoded stripes in order. */
    @FunctionalInterface
    public interface StripeSink {

        void accept(byte[] bytes, int length) throws IOException;
    }

    /** Reads stripes {@code first..last} (inclusive); returns the blobs read around. */
    public List<String> read(ErasureCodedPart part, int first, int last, StripeSink sink) throws IOException {
        if (first < 0 || last >= part.stripes().size() || first > last) {
            throw new IllegalArgumentException("stripes " + first + ".." + last + " of a part with "
                    + part.stripes().size());
        }
        boolean whole = first == 0 && last == part.stripes().size() - 1 && part.sha256() != null;
        MessageDigest sha256 = whole ? Checksums.sha256() : null;
        ReedSolomon codec = ReedSolomon.create(part.k(), part.m());
        List<String> bad = new ArrayList<>();
        for (int s = first; s <= last; s++) {
            Stripe stripe = part.stripes().get(s);
            byte[] bytes = decode(codec, part, stripe, s, bad);
            int length = Math.toIntExact(stripe.length());
            if (sha256 != null) {
                sha256.update(bytes, 0, length);
                if (s == last && !HexFormat.of().formatHex(sha256.digest()).equals(part.sha256())) {
                    throw new StripeUnavailableException("the decoded part does not match its SHA-256");
                }
            }
            sink.accept(bytes, length);
        }
        return bad;
    }

    private byte[] decode(ReedSolomon codec, ErasureCodedPart part, Stripe stripe, int index, List<String> bad) {
        FetchedStripe fetched;
        try {
            fetched = fetcher.fetch(part.k(), part.m(), stripe);
        } catch (StripeUnavailableException e) {
            throw new StripeUnavailableException("stripe " + index + ": " + e.getMessage());
        }
        bad.addAll(fetched.badBlobs());
        byte[][] shards = fetched.shards();
        for (int i = 0; i < part.k(); i++) {
            if (shards[i] == null) {
                codec.reconstructData(shards);
                break;
            }
        }
        return codec.join(shards, Math.toIntExact(stripe.length()));
    }

    /** The bytes one stripe of this part needs while it is read: its shards, and the decoded stripe. */
    public static long workingSet(ErasureCodedPart part) {
        long most = 0;
        for (Stripe stripe : part.stripes()) {
            most = Math.max(most, (long) (part.k() + part.m()) * stripe.shardSize() + stripe.length());
        }
        return most;
    }
}
