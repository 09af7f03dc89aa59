package io.rfs.replication.node;

import io.rfs.replication.protocol.RangeDigestRequestDecoder;
import io.rfs.replication.protocol.RangeDigestResponseDescriptor;
import io.rfs.replication.protocol.RangeDigestResponseEncoder;
import io.rfs.replication.protocol.RangeIdsRequestDecoder;
import io.rfs.replication.protocol.RangeIdsResponseDescriptor;
import io.rfs.replication.protocol.RangeIdsResponseEncoder;
import io.rfs.replication.protocol.RangeManifestsRequestDecoder;
import io.rfs.replication.protocol.RangeManifestsResponseDescriptor;
import io.rfs.replication.protocol.RangeManifestsResponseEncoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.repair.ManifestDigests;
import io.rfs.replication.repair.RangeDigests;
import io.rfs.replication.repair.RingInForce;
import io.rfs.replication.ring.Ring;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.FileStat;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.manifest.ManifestStore;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Answers the leader's range questions from the storage thread: the digests of ranges ({@code RangeDigestRequest},
 * of chunks or, with its flag, of manifests), pages of a range's ids ({@code RangeIdsRequest}) and of a range's
 * names and manifest versions ({@code RangeManifestsRequest}), from the node's {@link RangeDigests} and
 * {@link ManifestDigests}, rebuilding them first if the ring in force has changed. Prepare a response (its length),
 * claim room for it, then encode it.
 * <p>
 * Listing a range scans the ids (or names) of the whole store (the store has no index by range), so a page costs
 * time in proportion to what is held; the leader asks only for the ranges whose digests disagree.
 * <p>
 * <b>Threads.</b> The storage agent's thread only.
 */
final class RangeQueries
{
    private final ChunkStore chunks;
    private final RangeDigests digests;
    private final ManifestStore manifests;
    private final ManifestDigests manifestDigests;
    private final RangeManifestsResponseEncoder manifestsEncoder = new RangeManifestsResponseEncoder();
    private final List<FileStat> manifestPage = new ArrayList<>();
    private boolean manifestsAsked;
    private final RingInForce ringInForce;
    private final RangeDigestResponseEncoder digestEncoder = new RangeDigestResponseEncoder();
    private final RangeIdsResponseEncoder idsEncoder = new RangeIdsResponseEncoder();
    private final TreeMap<ChunkId, Integer> page = new TreeMap<>();
    private Status status;
    private int firstRange;
    private int count;
    private boolean more;

    RangeQueries(
        final ChunkStore chunks,
        final RangeDigests digests,
        final ManifestStore manifests,
        final ManifestDigests manifestDigests,
        final RingInForce ringInForce)
    {
        this.chunks = chunks;
        this.digests = digests;
        this.manifests = manifests;
        this.manifestDigests = manifestDigests;
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
        if (ring != null && ring != manifestDigests.ring())
        {
            manifestDigests.rebuild(ring, manifests);
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
        manifestsAsked = request.manifests();
        count = status == Status.OK ? Math.max(0, Math.min(request.count(), digests.rangeCount() - firstRange)) : 0;
        return RangeDigestResponseDescriptor.encodedLength(count);
    }

    void encodeDigests(final MutableDirectBuffer buffer, final int offset)
    {
        digestEncoder.wrap(buffer, offset).ringFingerprint(digests.ringFingerprint()).firstRange(firstRange)
            .status(status).manifests(manifestsAsked);
        for (int i = 0; i < count; i++)
        {
            final int range = firstRange + i;
            if (manifestsAsked)
            {
                digestEncoder.addDigest(manifestDigests.lane0(range), manifestDigests.lane1(range),
                    manifestDigests.count(range), 0);
            }
            else
            {
                digestEncoder.addDigest(digests.lane0(range), digests.lane1(range), digests.count(range),
                    digests.quarantinedCount(range));
            }
        }
    }

    /**
     * @param request   a checked request.
     * @param maxLength the most bytes the response may take.
     * @return the response's length.
     */
    int prepareManifests(final RangeManifestsRequestDecoder request, final int maxLength)
    {
        refresh();
        manifestPage.clear();
        more = false;
        status = statusFor(request.ringFingerprint());
        final int range = request.range();
        if (status != Status.OK || range >= manifestDigests.rangeCount())
        {
            return RangeManifestsResponseDescriptor.BLOCK_LENGTH;
        }
        final int limit = request.maxEntries();
        final int[] length = {RangeManifestsResponseDescriptor.BLOCK_LENGTH};
        manifests.forEachNewest(request.after(), stat ->
        {
            if (manifestDigests.rangeOf(stat.name()) != range)
            {
                return true;
            }
            final int entryLength = RangeManifestsResponseDescriptor.entryLength(
                stat.name().getBytes(StandardCharsets.UTF_8).length);
            if (manifestPage.size() == limit || length[0] + entryLength > maxLength)
            {
                more = true;
                return false;
            }
            manifestPage.add(stat);
            length[0] += entryLength;
            return true;
        });
        return length[0];
    }

    void encodeManifests(final MutableDirectBuffer buffer, final int offset)
    {
        manifestsEncoder.wrap(buffer, offset).ringFingerprint(digests.ringFingerprint()).status(status).more(more);
        for (final FileStat stat : manifestPage)
        {
            manifestsEncoder.addEntry(stat.name().getBytes(StandardCharsets.UTF_8), stat.version().timestamp(),
                stat.version().nodeId(), stat.tombstone());
        }
        manifestPage.clear();
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
