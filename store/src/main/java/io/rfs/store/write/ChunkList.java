package io.rfs.store.write;

import io.rfs.store.chunk.ChunkId;

/**
 * The chunks a stream was cut into, in order.
 *
 * @param ids     chunk ids.
 * @param lengths their lengths.
 * @param size    total bytes.
 */
public record ChunkList(ChunkId[] ids, int[] lengths, long size)
{
}
