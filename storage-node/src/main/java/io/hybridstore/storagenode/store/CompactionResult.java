package io.hybridstore.storagenode.store;

/**
 * What compaction did with one segment.
 *
 * @param target        the segment the live records were copied into; null when there was nothing to copy
 * @param blobsMoved    live blobs now read from {@code target}
 * @param markersKept   delete markers copied because an older put of their id is still on disk
 * @param markersDropped delete markers dropped because nothing they shadow is left
 * @param skippedBytes  bytes that could not be read as valid records (damage), resynced past
 * @param oldKept       true when some live blob could not be moved (its record header is damaged), so the old
 *                      segment stays and still serves it
 */
public record CompactionResult(String segment, long bytesBefore, String target, long bytesWritten, int blobsMoved,
                               int markersKept, int markersDropped, long skippedBytes, boolean oldKept) {
}
