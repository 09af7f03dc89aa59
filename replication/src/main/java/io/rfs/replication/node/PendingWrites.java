package io.rfs.replication.node;

import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The writes of one group commit: appended, waiting for their force, then for room in the results ring. A fixed
 * number of preallocated slots ({@code storage.batch.limit}); the storage agent takes no more writes than that
 * before it forces. Not thread safe: the storage agent's own.
 */
final class PendingWrites
{
    private static final long NO_LOCATION = -1;

    private final int[] responseTypes;
    private final int[] destinations;
    private final long[] correlationIds;
    private final Status[] statuses;
    private final UnsafeBuffer chunkIds;
    private final long[] manifestLocations;
    private final String[] manifestNames;
    private final long[] versionTimestamps;
    private final int[] versionNodeIds;
    private final boolean[] hintsRecorded;
    private int size;
    private int sent;
    private boolean chunksAppended;
    private boolean manifestsAppended;

    /**
     * @param capacity most writes in one batch.
     */
    PendingWrites(final int capacity)
    {
        responseTypes = new int[capacity];
        destinations = new int[capacity];
        correlationIds = new long[capacity];
        statuses = new Status[capacity];
        chunkIds = new UnsafeBuffer(new byte[capacity * ChunkId.LENGTH]);
        manifestLocations = new long[capacity];
        manifestNames = new String[capacity];
        versionTimestamps = new long[capacity];
        versionNodeIds = new int[capacity];
        hintsRecorded = new boolean[capacity];
    }

    /**
     * Starts a new batch; the previous one must have been sent.
     */
    void clear()
    {
        Arrays.fill(manifestNames, 0, size, null);
        size = 0;
        sent = 0;
        chunksAppended = false;
        manifestsAppended = false;
    }

    /**
     * @return true if no more writes fit this batch.
     */
    boolean isFull()
    {
        return size == responseTypes.length;
    }

    /**
     * @param responseType  the response the write is answered with.
     * @param destination   the requester.
     * @param correlationId the request's correlation id.
     * @return the new slot, status {@link Status#ERROR} until set.
     */
    int add(final int responseType, final int destination, final long correlationId)
    {
        final int slot = size++;
        responseTypes[slot] = responseType;
        destinations[slot] = destination;
        correlationIds[slot] = correlationId;
        statuses[slot] = Status.ERROR;
        manifestLocations[slot] = NO_LOCATION;
        versionTimestamps[slot] = 0;
        versionNodeIds[slot] = 0;
        hintsRecorded[slot] = false;
        return slot;
    }

    void chunkId(final int slot, final DirectBuffer src, final int srcOffset)
    {
        chunkIds.putBytes(slot * ChunkId.LENGTH, src, srcOffset, ChunkId.LENGTH);
    }

    void status(final int slot, final Status status)
    {
        statuses[slot] = status;
    }

    /**
     * Records that the slot's write was hinted and its hint appended: acknowledged with {@code HINT_RECORDED} once
     * forced.
     *
     * @param slot its slot.
     */
    void hintRecorded(final int slot)
    {
        hintsRecorded[slot] = true;
    }

    /**
     * @param slot a slot.
     * @return true if its acknowledgement says {@code HINT_RECORDED}: a hint was appended and the write succeeded.
     */
    boolean isHintRecorded(final int slot)
    {
        return hintsRecorded[slot] && (statuses[slot] == Status.OK || statuses[slot] == Status.ALREADY_HAD);
    }

    /**
     * Records that a chunk was appended in this batch, so the chunk log must be forced before any ack.
     */
    void chunkAppended()
    {
        chunksAppended = true;
    }

    /**
     * Records a manifest appended in this batch, to be published after the manifest log is forced.
     *
     * @param slot     its slot.
     * @param location its record.
     * @param name     its file name.
     */
    void manifestAppended(final int slot, final long location, final String name)
    {
        manifestLocations[slot] = location;
        manifestNames[slot] = name;
        manifestsAppended = true;
    }

    /**
     * Every write of the batch failed: its force did.
     */
    void failAll()
    {
        Arrays.fill(statuses, 0, size, Status.ERROR);
        Arrays.fill(manifestLocations, 0, size, NO_LOCATION);
    }

    boolean chunksAppended()
    {
        return chunksAppended;
    }

    boolean manifestsAppended()
    {
        return manifestsAppended;
    }

    int size()
    {
        return size;
    }

    /**
     * @return true while some write of the batch has not been handed to the results ring.
     */
    boolean hasUnsent()
    {
        return sent < size;
    }

    /**
     * @return the next slot to send.
     */
    int nextUnsent()
    {
        return sent;
    }

    /**
     * Marks the slot {@link #nextUnsent()} returned as sent.
     */
    void markSent()
    {
        sent++;
    }

    int responseType(final int slot)
    {
        return responseTypes[slot];
    }

    int destination(final int slot)
    {
        return destinations[slot];
    }

    long correlationId(final int slot)
    {
        return correlationIds[slot];
    }

    Status status(final int slot)
    {
        return statuses[slot];
    }

    DirectBuffer chunkIds()
    {
        return chunkIds;
    }

    int chunkIdOffset(final int slot)
    {
        return slot * ChunkId.LENGTH;
    }

    /**
     * @return the appended manifest's location, or -1 if the slot holds none (a chunk, or a failed write).
     */
    long manifestLocation(final int slot)
    {
        return manifestLocations[slot];
    }

    String manifestName(final int slot)
    {
        return manifestNames[slot];
    }

    void currentVersion(final int slot, final long timestamp, final int nodeId)
    {
        versionTimestamps[slot] = timestamp;
        versionNodeIds[slot] = nodeId;
    }

    long versionTimestamp(final int slot)
    {
        return versionTimestamps[slot];
    }

    int versionNodeId(final int slot)
    {
        return versionNodeIds[slot];
    }
}
