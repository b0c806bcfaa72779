package io.hybridstore.common.node;

import java.util.List;

/** One page of a node's blob listing; {@code next} is the id to pass as {@code after}, null on the last page. */
public record BlobPage(List<BlobStat> blobs, String next) {
}
