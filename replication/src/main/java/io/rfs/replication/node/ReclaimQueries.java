package io.rfs.replication.node;

import io.rfs.replication.protocol.ReclaimCandidatesRequestDecoder;
import io.rfs.replication.protocol.ReclaimCandidatesResponseDescriptor;
import io.rfs.replication.protocol.ReclaimCandidatesResponseEncoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.repair.ChunkTouches;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkStore;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;

import java.util.TreeSet;

/**
 * Answers the leader's {@code ReclaimCandidatesRequest} from the storage thread: a page of the ids held here that
 * nothing stored or asked to store for longer than the grace asked ({@link ChunkTouches}), ascending, with this
 * node's clock reading at the listing. Prepare a response (its length), claim room for it, then encode it.
 * <p>
 * A page scans the ids of the whole store (it has no index by id order), so it costs time in proportion to the
 * chunks held; the leader asks for pages rarely ({@code repair.reclaim.interval}).
 * <p>
 * <b>Threads.</b> The storage agent's thread only.
 */
final class ReclaimQueries
{
    private final ChunkStore chunks;
    private final ChunkTouches touches;
    private final NanoClock clock;
    private final ReclaimCandidatesResponseEncoder encoder = new ReclaimCandidatesResponseEncoder();
    private final TreeSet<ChunkId> page = new TreeSet<>();
    private long listedAtNs;
    private boolean more;

    ReclaimQueries(final ChunkStore chunks, final ChunkTouches touches, final NanoClock clock)
    {
        this.chunks = chunks;
        this.touches = touches;
        this.clock = clock;
    }

    /**
     * @param request   a checked request.
     * @param maxLength the most bytes the response may take.
     * @return the response's length.
     */
    int prepare(final ReclaimCandidatesRequestDecoder request, final int maxLength)
    {
        page.clear();
        more = false;
        listedAtNs = clock.nanoTime();
        final long graceNs = request.graceNs();
        final int limit = Math.max(1, Math.min(request.maxEntries(),
            (maxLength - ReclaimCandidatesResponseDescriptor.BLOCK_LENGTH) /
            ReclaimCandidatesResponseDescriptor.ENTRY_LENGTH));
        final ChunkId after = request.after();
        chunks.forEachChunk(id ->
        {
            if ((after == null || id.compareTo(after) > 0) && touches.isIdle(id, listedAtNs, graceNs))
            {
                page.add(id);
                if (page.size() > limit)
                {
                    page.pollLast();
                    more = true;
                }
            }
        });
        return ReclaimCandidatesResponseDescriptor.encodedLength(page.size());
    }

    void encode(final MutableDirectBuffer buffer, final int offset)
    {
        encoder.wrap(buffer, offset).listedAt(listedAtNs, touches.clockInstance()).status(Status.OK).more(more);
        for (final ChunkId id : page)
        {
            encoder.addChunkId(id);
        }
        page.clear();
    }
}
