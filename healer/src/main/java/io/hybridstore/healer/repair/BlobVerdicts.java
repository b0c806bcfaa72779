package io.hybridstore.healer.repair;

/** The verdict on each (node, blob) a manifest references, as gathered by the batch checks of one page. */
@FunctionalInterface
public interface BlobVerdicts {

    Verdict of(String node, String blob);
}
