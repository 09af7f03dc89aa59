package io.rfs.replication.repair;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The chunk ids that nodes listed as idle for the grace period in one reclaim round, and which nodes listed each,
 * less those a manifest turns out to reference.
 * <p>
 * <b>Memory.</b> Primitive arrays: an id's 32 bytes as four longs, its index in an Agrona {@link Long2LongHashMap}
 * keyed by its first 8 bytes, and one int per node that listed it: about 60 bytes per candidate with three replicas,
 * for at most {@code repair.reclaim.max.candidates} candidates plus one page per node. A second id sharing a prefix
 * with a candidate is not added (it waits for a later round), and a referenced id takes out the candidate of its
 * prefix, so collisions only keep chunks longer.
 * <p>
 * <b>Threads.</b> The network thread (the {@link ChunkReclaimer}'s).
 */
final class ReclaimCandidates
{
    private static final long NONE = -1;

    private final Long2LongHashMap indexByPrefix = new Long2LongHashMap(1024, 0.65f, NONE);
    private IntArrayList[] listedBy = new IntArrayList[0];
    private long[] words = new long[4 * 1024];
    private boolean[] referenced = new boolean[1024];
    private int count;

    /**
     * Empties the set for a round over {@code nodes} node slots.
     *
     * @param nodes node slots of the round.
     */
    void reset(final int nodes)
    {
        indexByPrefix.clear();
        count = 0;
        listedBy = new IntArrayList[nodes];
        for (int slot = 0; slot < nodes; slot++)
        {
            listedBy[slot] = new IntArrayList();
        }
    }

    /**
     * Records that a node listed an id.
     *
     * @param slot the node's slot.
     * @param id   the id.
     */
    void add(final int slot, final ChunkId id)
    {
        final long prefix = id.prefix();
        long index = indexByPrefix.get(prefix);
        if (index == NONE)
        {
            index = count++;
            if (words.length < count * 4)
            {
                words = Arrays.copyOf(words, words.length * 2);
                referenced = Arrays.copyOf(referenced, referenced.length * 2);
            }
            for (int w = 0; w < 4; w++)
            {
                words[(int)index * 4 + w] = id.word(w);
            }
            referenced[(int)index] = false;
            indexByPrefix.put(prefix, index);
        }
        else if (!matches((int)index, id))
        {
            return;
        }
        listedBy[slot].addInt((int)index);
    }

    /**
     * Takes out the candidate whose id starts with the given 8 bytes, if any.
     *
     * @param buffer holds a referenced chunk id.
     * @param offset where it starts.
     */
    void reference(final DirectBuffer buffer, final int offset)
    {
        final long index = indexByPrefix.get(buffer.getLong(offset, ByteOrder.BIG_ENDIAN));
        if (index != NONE)
        {
            referenced[(int)index] = true;
        }
    }

    /**
     * @return distinct ids listed.
     */
    int size()
    {
        return count;
    }

    /**
     * @param slot a node's slot.
     * @return the indexes of the ids that node listed, in the order it listed them.
     */
    IntArrayList listedBy(final int slot)
    {
        return listedBy[slot];
    }

    /**
     * @param index a candidate.
     * @return true if a manifest references it (or an id sharing its prefix).
     */
    boolean isReferenced(final int index)
    {
        return referenced[index];
    }

    /**
     * @param index a candidate.
     * @return its id.
     */
    ChunkId id(final int index)
    {
        final byte[] bytes = new byte[ChunkId.LENGTH];
        for (int w = 0; w < 4; w++)
        {
            final long word = words[index * 4 + w];
            for (int b = 0; b < 8; b++)
            {
                bytes[w * 8 + b] = (byte)(word >>> (56 - 8 * b));
            }
        }
        return ChunkId.of(bytes);
    }

    private boolean matches(final int index, final ChunkId id)
    {
        for (int w = 0; w < 4; w++)
        {
            if (words[index * 4 + w] != id.word(w))
            {
                return false;
            }
        }
        return true;
    }
}
