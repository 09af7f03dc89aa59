package io.rfs.store.chunkstore;

/**
 * What a compaction did.
 *
 * @param segmentsRewritten sealed segments whose live chunks were copied and whose files were deleted.
 * @param chunksMoved       live chunks copied.
 * @param chunksDropped     unreferenced chunks dropped.
 * @param bytesBefore       segment bytes in use before.
 * @param bytesAfter        segment bytes in use after: {@code bytesBefore} less the records left behind in the
 *                          rewritten segments.
 */
public record CompactionReport(
    int segmentsRewritten, long chunksMoved, long chunksDropped, long bytesBefore, long bytesAfter)
{
}
