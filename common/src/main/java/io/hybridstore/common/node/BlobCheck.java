package io.hybridstore.common.node;

import java.util.List;

/** A node's verdict on a batch of blob ids, each verified against its stored CRC32C on the node. */
public record BlobCheck(List<String> intact, List<String> missing, List<String> corrupt) {
}
