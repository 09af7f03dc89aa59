package io.rfs.store.scrub;

import io.rfs.store.chunk.ChunkId;

import java.util.List;

/**
 * What one scrub pass found.
 *
 * @param chunksChecked chunks re-read and re-hashed.
 * @param bytesChecked  their raw bytes.
 * @param corrupt       chunks that failed and were quarantined.
 */
public record ScrubReport(long chunksChecked, long bytesChecked, List<ChunkId> corrupt)
{
}
