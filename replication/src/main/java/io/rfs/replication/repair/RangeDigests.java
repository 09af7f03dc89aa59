package io.rfs.replication.repair;

import io.rfs.replication.ring.Ring;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkIndexListener;
import io.rfs.store.chunkstore.ChunkStore;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A node's summary of the chunks it holds, per ring range: for the range of each token of the ring in force, an
 * order-independent digest of the ids held there, so the leader can compare a range's replicas with one small
 * message per range (in batches) and look at the id lists only of the ranges that disagree.
 * <p>
 * <b>The digest.</b> For a range, the count of ids held and, in two 64-bit lanes, the sum modulo 2^64 of a keyed
 * hash of each id ({@link DigestKey}). A sum does not depend on the order ids were added in, and an id's removal is
 * the subtraction of its value, so the digest is kept up to date in O(1) per change instead of being recomputed.
 * Sums rather than XOR: with XOR an id counted twice by mistake would vanish, whereas a sum and a count expose it.
 * Two replicas whose id sets differ have equal digests only by chance, about 2^-128 (the per-id values are
 * pseudo-random under the key).
 * <p>
 * <b>Kept up to date</b> as the {@link ChunkStore}'s {@link ChunkIndexListener}: every id that becomes held is
 * added, every id dropped (quarantined after a failed verification, or compacted away) is subtracted. On start and
 * whenever the ring in force changes, {@link #rebuild} recomputes everything from the store.
 * <p>
 * <b>Quarantined ids.</b> An id whose copy failed verification and that is not held again since is remembered, so
 * that the leader can tell a chunk lost on every replica (reported unrecoverable) from one that never existed.
 * <p>
 * <b>Threads.</b> Single writer: the thread that changes the store (the node's storage agent) and reads the digests.
 */
public final class RangeDigests implements ChunkIndexListener
{
    private final DigestKey key;
    private final Set<ChunkId> quarantined = new HashSet<>();
    private Ring ring;
    private long[] lane0 = new long[0];
    private long[] lane1 = new long[0];
    private long[] counts = new long[0];

    /**
     * @param key the cluster's digest key.
     */
    public RangeDigests(final DigestKey key)
    {
        this.key = key;
    }

    /**
     * Makes {@code ring}'s ranges the ones summarised and recomputes every digest from the store's ids.
     *
     * @param ring   the ring in force, or null for none (nothing is summarised).
     * @param chunks the store; call on the thread that changes it.
     */
    public void rebuild(final Ring ring, final ChunkStore chunks)
    {
        this.ring = ring;
        final int ranges = ring == null ? 0 : ring.tokenCount();
        lane0 = new long[ranges];
        lane1 = new long[ranges];
        counts = new long[ranges];
        quarantined.clear();
        chunks.forEachChunk(this::onChunkAdded);
        for (final ChunkId id : chunks.quarantined())
        {
            if (!chunks.contains(id))
            {
                quarantined.add(id);
            }
        }
    }

    /**
     * @return the ring whose ranges are summarised, or null.
     */
    public Ring ring()
    {
        return ring;
    }

    /**
     * @return the ring's fingerprint, 0 if there is none.
     */
    public long ringFingerprint()
    {
        return ring == null ? 0 : ring.fingerprint();
    }

    /**
     * @return ranges summarised: the ring's token count.
     */
    public int rangeCount()
    {
        return counts.length;
    }

    /**
     * @param range a token index of {@link #ring()}.
     * @return ids held in its range.
     */
    public long count(final int range)
    {
        return counts[range];
    }

    /**
     * @param range a token index.
     * @return the first lane of its digest.
     */
    public long lane0(final int range)
    {
        return lane0[range];
    }

    /**
     * @param range a token index.
     * @return the second lane of its digest.
     */
    public long lane1(final int range)
    {
        return lane1[range];
    }

    /**
     * @param range a token index.
     * @return ids of the range quarantined here and not held again since.
     */
    public int quarantinedCount(final int range)
    {
        int n = 0;
        for (final ChunkId id : quarantined)
        {
            if (rangeOf(id) == range)
            {
                n++;
            }
        }
        return n;
    }

    /**
     * @param range    a token index.
     * @param consumer receives each id of the range quarantined here and not held again since.
     */
    public void forEachQuarantined(final int range, final Consumer<ChunkId> consumer)
    {
        for (final ChunkId id : quarantined)
        {
            if (rangeOf(id) == range)
            {
                consumer.accept(id);
            }
        }
    }

    /**
     * @param id a chunk id.
     * @return the token index whose range holds it, or -1 with no ring.
     */
    public int rangeOf(final ChunkId id)
    {
        return rangeOfPosition(Ring.chunkPosition(id));
    }

    /**
     * @param position a chunk's ring position (its id's prefix).
     * @return the token index whose range holds it, or -1 with no ring.
     */
    public int rangeOfPosition(final long position)
    {
        return ring == null || counts.length == 0 ? -1 : ring.tokenIndex(position);
    }

    @Override
    public void onChunkAdded(final ChunkId id)
    {
        quarantined.remove(id);
        final int range = rangeOf(id);
        if (range >= 0)
        {
            lane0[range] += key.lane0(id);
            lane1[range] += key.lane1(id);
            counts[range]++;
        }
    }

    @Override
    public void onChunkRemoved(final ChunkId id, final boolean quarantined)
    {
        if (quarantined)
        {
            this.quarantined.add(id);
        }
        final int range = rangeOf(id);
        if (range >= 0)
        {
            lane0[range] -= key.lane0(id);
            lane1[range] -= key.lane1(id);
            counts[range]--;
        }
    }
}
