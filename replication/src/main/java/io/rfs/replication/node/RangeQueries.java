package io.rfs.replication.node;

import io.rfs.replication.protocol.RangeDigestRequestDecoder;
import io.rfs.replication.protocol.RangeDigestResponseDescriptor;
import io.rfs.replication.protocol.RangeDigestResponseEncoder;
import io.rfs.replication.protocol.RangeIdsRequestDecoder;
import io.rfs.replication.protocol.RangeIdsResponseDescriptor;
import io.rfs.replication.protocol.RangeIdsResponseEncoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.repair.RangeDigests;
import io.rfs.replication.repair.RingInForce;
import io.rfs.replication.ring.Ring;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkStore;
import org.agrona.MutableDirectBuffer;

import java.util.TreeMap;

/**
 * Answers the leader's range questions from the storage thread: the digests of ranges ({@code RangeDigestRequest})
 * and pages of a range's ids ({@code RangeIdsRequest}), from the node's {@link RangeDigests}, rebuilding them first
 * if the ring in force has changed. Prepare a response (its length), claim room for it, then encode it.
 * <p>
 * Listing a range scans the ids of the whole store (the store has no index by range), so a page costs time in
 * proportion to the chunks held; the leader asks only for the ranges whose digests disagree.
 * <p>
 * <b>Threads.</b> The storage agent's thread only.
 */
final class RangeQueries
{
    private final ChunkStore chunks;
    private final RangeDigests digests;
    private final RingInForce ringInForce;
    private final RangeDigestResponseEncoder digestEncoder = new RangeDigestResponseEncoder();
    private final RangeIdsResponseEncoder idsEncoder = new RangeIdsResponseEncoder();
    private final TreeMap<ChunkId, Integer> page = new TreeMap<>();
    private Status status;
    private int firstRange;
    private int count;
    private boolean more;

    RangeQueries(final ChunkStore chunks, final RangeDigests digests, final RingInForce ringInForce)
    {
        this.chunks = chunks;
        this.digests = digests;
        this.ringInForce = ringInForce;
    }

    /**
     * Rebuilds the digests if the ring in force is not the one they summarise.
     */
    void refresh()
    {
        final Ring ring = ringInForce.get();
        if (ring != null && ring != digests.ring())
        {
            digests.rebuild(ring, chunks);
        }
    }

    /**
     * @param request a checked request.
     * @return the response's length.
     */
    int prepareDigests(final RangeDigestRequestDecoder request)
    {
        refresh();
        status = statusFor(request.ringFingerprint());
        firstRange = request.firstRange();
        count = status == Status.OK ? Math.max(0, Math.min(request.count(), digests.rangeCount() - firstRange)) : 0;
        return RangeDigestResponseDescriptor.encodedLength(count);
    }

    void encodeDigests(final MutableDirectBuffer buffer, final int offset)
    {
        digestEncoder.wrap(buffer, offset).ringFingerprint(digests.ringFingerprint()).firstRange(firstRange)
            .status(status);
        for (int i = 0; i < count; i++)
        {
            final int range = firstRange + i;
            digestEncoder.addDigest(digests.lane0(range), digests.lane1(range), digests.count(range),
                digests.quarantinedCount(range));
        }
    }

    /**
     * @param request   a checked request.
     * @param maxLength the most bytes the response may take.
     * @return the response's length.
     */
    int prepareIds(final RangeIdsRequestDecoder request, final int maxLength)
    {
        refresh();
        page.clear();
        more = false;
        status = statusFor(request.ringFingerprint());
        final int range = request.range();
        if (status != Status.OK || range >= digests.rangeCount())
        {
            return RangeIdsResponseDescriptor.encodedLength(0);
        }
        final int limit = Math.max(1, Math.min(request.maxEntries(),
            (maxLength - RangeIdsResponseDescriptor.BLOCK_LENGTH) / RangeIdsResponseDescriptor.ENTRY_LENGTH));
        final ChunkId after = request.after();
        chunks.forEachChunk(prefix -> digests.rangeOfPosition(prefix) == range,
            id -> offer(id, range, after, limit, RangeIdsResponseDescriptor.STATE_HELD));
        digests.forEachQuarantined(range, id -> offer(id, range, after, limit,
            RangeIdsResponseDescriptor.STATE_QUARANTINED));
        return RangeIdsResponseDescriptor.encodedLength(page.size());
    }

    private void offer(final ChunkId id, final int range, final ChunkId after, final int limit, final int state)
    {
        if (digests.rangeOf(id) != range || (after != null && id.compareTo(after) <= 0))
        {
            return;
        }
        page.put(id, state);
        if (page.size() > limit)
        {
            page.pollLastEntry();
            more = true;
        }
    }

    void encodeIds(final MutableDirectBuffer buffer, final int offset)
    {
        idsEncoder.wrap(buffer, offset).ringFingerprint(digests.ringFingerprint()).status(status).more(more);
        for (final var entry : page.entrySet())
        {
            final ChunkId id = entry.getKey();
            final int state = entry.getValue();
            idsEncoder.addEntry(id, state == RangeIdsResponseDescriptor.STATE_HELD ?
                Math.max(0, chunks.rawLength(id)) : 0, state);
        }
        page.clear();
    }

    private Status statusFor(final long ringFingerprint)
    {
        return digests.ring() != null && digests.ringFingerprint() == ringFingerprint ? Status.OK :
            Status.RING_MISMATCH;
    }
}
