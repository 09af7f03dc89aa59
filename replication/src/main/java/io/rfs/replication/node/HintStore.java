package io.rfs.replication.node;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.RecordDescriptor;
import io.rfs.store.log.SegmentLog;
import io.rfs.store.manifest.ManifestStore;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntCounterMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.rfs.replication.node.HintDescriptor.*;

/**
 * A node's hints: the chunks and manifests it accepted in a hinted write (sloppy quorum) for an owner that was down,
 * kept until the {@link HintedHandoffAgent} has handed each to its owner.
 * <p>
 * <b>On disk</b> ({@code docs/FORMATS.md}, "Hint log"): a {@link SegmentLog} in the data directory's {@code hints/},
 * so the records are the store's checksummed segment records and recovery is the store's (a torn tail is zeroed).
 * A hint is a {@code TYPE_HINT} record; delivering it appends a {@code TYPE_HINT_DELIVERED} marker naming the hint's
 * location. Opening replays both, so the pending hints are those without a marker. A record whose payload fails its
 * CRC (rot, not a tear) is skipped and counted: a lost hint leaves the owner to repair, a lost marker only resends.
 * The oldest segment is deleted once it is sealed and holds no pending hint; markers always follow their hints, so a
 * deleted segment's markers only named hints already gone.
 * <p>
 * <b>Bound.</b> At most {@code handoff.max.hints} hints are pending; beyond that {@link #isFull()} and the storage
 * agent refuses hinted writes with {@code HINTS_FULL}. A second hint for the same target and key adds nothing.
 * <p>
 * <b>Durability.</b> {@link #addChunk} and {@link #addManifest} only append; the storage agent forces the log with
 * the rest of its group commit ({@link #force()}) before it acknowledges. Markers are forced at the end of the duty
 * cycle that wrote them: one lost in a crash means one harmless resend.
 * <p>
 * <b>Threads.</b> The storage thread's: the {@link StorageAgent} and the {@link HintedHandoffAgent} run there.
 */
final class HintStore implements AutoCloseable
{
    /** Bytes per hint segment: about 20,000 chunk hints. */
    static final int SEGMENT_CAPACITY = 2 * 1024 * 1024;

    /**
     * Told of each hint added, on the storage thread, after its append (its force follows in the same commit).
     */
    @FunctionalInterface
    interface Listener
    {
        void onHintAdded(Hint hint);
    }

    private final SegmentLog log;
    private final int maxHints;
    private final Long2ObjectHashMap<Hint> pending = new Long2ObjectHashMap<>();
    private final Map<Hint.Key, Hint> byKey = new HashMap<>();
    private final Map<ChunkId, Integer> chunkHints = new HashMap<>();
    private final Map<ChunkId, Integer> manifestHints = new HashMap<>();
    private final Int2IntCounterMap pendingPerSegment = new Int2IntCounterMap(0);
    private final byte[] keyBytes = new byte[RecordDescriptor.KEY_LENGTH];
    private final byte[] payload = new byte[NAME_OFFSET + 1024];
    private final UnsafeBuffer payloadBuffer = new UnsafeBuffer(payload);
    private long corruptRecords;
    private boolean dirty;
    private Listener listener = hint -> {};

    private HintStore(final Path directory, final Disk disk, final int maxHints) throws IOException
    {
        this.maxHints = maxHints;
        this.log = SegmentLog.open(directory, disk, SEGMENT_CAPACITY, this::onRecovered);
    }

    /**
     * Opens (or creates) the hint log and replays it.
     *
     * @param directory the data directory's {@code hints/}.
     * @param disk      file system calls.
     * @param maxHints  most pending hints, at least 1.
     * @return the open store.
     * @throws IOException if the log cannot be opened or recovered.
     */
    static HintStore open(final Path directory, final Disk disk, final int maxHints) throws IOException
    {
        return new HintStore(directory, disk, maxHints);
    }

    void listener(final Listener listener)
    {
        this.listener = listener;
    }

    /**
     * @return hints not yet delivered.
     */
    int pendingCount()
    {
        return pending.size();
    }

    /**
     * @return true if no new hint may be added.
     */
    boolean isFull()
    {
        return pending.size() >= maxHints;
    }

    /**
     * @return records skipped on open because their payload failed its CRC or did not parse.
     */
    long corruptRecords()
    {
        return corruptRecords;
    }

    /**
     * @param location a hint's location.
     * @return the hint, or null if it was delivered or never existed.
     */
    Hint get(final long location)
    {
        return pending.get(location);
    }

    /**
     * @return the pending hints, oldest first.
     */
    List<Hint> pendingHints()
    {
        final List<Hint> hints = new ArrayList<>(pending.values());
        hints.sort((a, b) -> Long.compareUnsigned(a.location(), b.location()));
        return hints;
    }

    /**
     * @param target the owner.
     * @param id     the chunk.
     * @return true if a hint for it is pending.
     */
    boolean containsChunk(final int target, final ChunkId id)
    {
        return byKey.containsKey(new Hint.Key(target, KIND_CHUNK, id));
    }

    /**
     * @param id a chunk.
     * @return true if a hint for it is pending, for any owner: the chunk is needed here until it is handed off.
     */
    boolean containsChunk(final ChunkId id)
    {
        return chunkHints.containsKey(id);
    }

    /**
     * @param target the owner.
     * @param name   a file name.
     * @return true if a hint for its manifest is pending.
     */
    boolean containsManifest(final int target, final String name)
    {
        return byKey.containsKey(new Hint.Key(target, KIND_MANIFEST, ChunkId.of(ManifestStore.nameKey(name))));
    }

    /**
     * @param name a file name.
     * @return true if a hint for its manifest is pending, for any owner: the manifest is needed here until it is
     * handed off.
     */
    boolean containsManifest(final String name)
    {
        return manifestHints.containsKey(ChunkId.of(ManifestStore.nameKey(name)));
    }

    /**
     * Appends a chunk hint, unless one for the same target and chunk is pending.
     *
     * @param target the owner to hand the chunk to.
     * @param id     the chunk.
     * @return the hint, new or pending already.
     * @throws IOException {@link io.rfs.store.DiskFullException} if there is no room.
     */
    Hint addChunk(final int target, final ChunkId id) throws IOException
    {
        final Hint existing = byKey.get(new Hint.Key(target, KIND_CHUNK, id));
        if (existing != null)
        {
            return existing;
        }
        payloadBuffer.setMemory(0, NAME_OFFSET, (byte)0);
        payloadBuffer.putInt(TARGET_OFFSET, target, BYTE_ORDER);
        payloadBuffer.putByte(KIND_OFFSET, KIND_CHUNK);
        id.write(keyBytes, 0);
        final long location = append(RecordDescriptor.TYPE_HINT, NAME_OFFSET);
        return added(new Hint(location, target, KIND_CHUNK, id, null, 0, 0));
    }

    /**
     * Appends a manifest hint, unless one for the same target and name is pending (the handoff sends the newest
     * version held, so the older hint covers the newer version too).
     *
     * @param target           the owner to hand the manifest to.
     * @param name             the file name.
     * @param versionTimestamp the hinted version's timestamp.
     * @param versionNodeId    the hinted version's node id.
     * @return the hint, new or pending already.
     * @throws IOException {@link io.rfs.store.DiskFullException} if there is no room.
     */
    Hint addManifest(final int target, final String name, final long versionTimestamp, final int versionNodeId)
        throws IOException
    {
        final ChunkId key = ChunkId.of(ManifestStore.nameKey(name));
        final Hint existing = byKey.get(new Hint.Key(target, KIND_MANIFEST, key));
        if (existing != null)
        {
            return existing;
        }
        final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        payloadBuffer.setMemory(0, NAME_OFFSET, (byte)0);
        payloadBuffer.putInt(TARGET_OFFSET, target, BYTE_ORDER);
        payloadBuffer.putByte(KIND_OFFSET, KIND_MANIFEST);
        payloadBuffer.putShort(NAME_LENGTH_OFFSET, (short)nameBytes.length, BYTE_ORDER);
        payloadBuffer.putLong(VERSION_TIMESTAMP_OFFSET, versionTimestamp, BYTE_ORDER);
        payloadBuffer.putInt(VERSION_NODE_ID_OFFSET, versionNodeId, BYTE_ORDER);
        payloadBuffer.putBytes(NAME_OFFSET, nameBytes);
        key.write(keyBytes, 0);
        final long location = append(RecordDescriptor.TYPE_HINT, NAME_OFFSET + nameBytes.length);
        return added(new Hint(location, target, KIND_MANIFEST, key, name, versionTimestamp, versionNodeId));
    }

    /**
     * Appends a delivered marker for a pending hint and forgets the hint; deletes the oldest segments that no longer
     * hold a pending hint.
     *
     * @param location the hint's location.
     * @return true if it was pending.
     * @throws IOException if the marker cannot be appended or a segment deleted.
     */
    boolean markDelivered(final long location) throws IOException
    {
        final Hint hint = pending.get(location);
        if (hint == null)
        {
            return false;
        }
        payloadBuffer.putLong(0, location, BYTE_ORDER);
        hint.key().write(keyBytes, 0);
        append(RecordDescriptor.TYPE_HINT_DELIVERED, DELIVERED_LENGTH);
        forget(hint);
        reclaim();
        return true;
    }

    /**
     * @return true if something was appended since the last force.
     */
    boolean isDirty()
    {
        return dirty;
    }

    /**
     * Forces whatever was appended.
     *
     * @throws IOException if the device reports a failure.
     */
    void force() throws IOException
    {
        if (dirty)
        {
            log.force();
            dirty = false;
        }
    }

    @Override
    public void close()
    {
        try
        {
            force();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException("forcing the hint log on close failed", ex);
        }
        finally
        {
            log.close();
        }
    }

    private long append(final byte type, final int length) throws IOException
    {
        final long location = log.append(
            type, (short)0, keyBytes, length, payload, 0, length, SegmentLog.payloadCrc(payload, 0, length));
        dirty = true;
        return location;
    }

    private Hint added(final Hint hint)
    {
        remember(hint);
        listener.onHintAdded(hint);
        return hint;
    }

    private void remember(final Hint hint)
    {
        pending.put(hint.location(), hint);
        byKey.put(hint.dedupKey(), hint);
        pendingPerSegment.incrementAndGet(SegmentLog.segmentId(hint.location()));
        (hint.isChunk() ? chunkHints : manifestHints).merge(hint.key(), 1, Integer::sum);
    }

    private void forget(final Hint hint)
    {
        pending.remove(hint.location());
        byKey.remove(hint.dedupKey());
        pendingPerSegment.decrementAndGet(SegmentLog.segmentId(hint.location()));
        (hint.isChunk() ? chunkHints : manifestHints)
            .computeIfPresent(hint.key(), (id, count) -> count == 1 ? null : count - 1);
    }

    private void reclaim() throws IOException
    {
        final List<Integer> segments = log.segmentIds();
        final int active = log.activeSegmentId();
        for (final int segmentId : segments)
        {
            if (segmentId == active || pendingPerSegment.get(segmentId) > 0)
            {
                return;
            }
            log.deleteSegment(segmentId);
            pendingPerSegment.remove(segmentId);
        }
    }

    private void onRecovered(final long location, final DirectBuffer buffer, final int offset)
    {
        final byte type = buffer.getByte(offset + RecordDescriptor.TYPE_OFFSET);
        if (type != RecordDescriptor.TYPE_HINT && type != RecordDescriptor.TYPE_HINT_DELIVERED)
        {
            corruptRecords++;
            return;
        }
        if (!RecordDescriptor.isValidPayload(buffer, offset))
        {
            corruptRecords++;
            return;
        }
        final int length = buffer.getInt(offset + RecordDescriptor.STORED_LENGTH_OFFSET);
        final int at = offset + RecordDescriptor.HEADER_LENGTH;
        if (type == RecordDescriptor.TYPE_HINT_DELIVERED)
        {
            final Hint hint = length == DELIVERED_LENGTH ? pending.get(buffer.getLong(at, BYTE_ORDER)) : null;
            if (hint != null)
            {
                forget(hint);
            }
            return;
        }
        final Hint hint = parse(location, buffer, offset, at, length);
        if (hint == null)
        {
            corruptRecords++;
            return;
        }
        if (!byKey.containsKey(hint.dedupKey()))
        {
            remember(hint);
        }
    }

    private static Hint parse(
        final long location, final DirectBuffer buffer, final int offset, final int at, final int length)
    {
        if (length < NAME_OFFSET)
        {
            return null;
        }
        final int target = buffer.getInt(at + TARGET_OFFSET, BYTE_ORDER);
        final byte kind = buffer.getByte(at + KIND_OFFSET);
        final int nameLength = buffer.getShort(at + NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
        final ChunkId key = ChunkId.read(buffer, offset + RecordDescriptor.KEY_OFFSET);
        if (target < 0 || NAME_OFFSET + nameLength != length)
        {
            return null;
        }
        if (kind == KIND_CHUNK && nameLength == 0)
        {
            return new Hint(location, target, KIND_CHUNK, key, null, 0, 0);
        }
        if (kind == KIND_MANIFEST && nameLength > 0)
        {
            final String name = buffer.getStringWithoutLengthUtf8(at + NAME_OFFSET, nameLength);
            return new Hint(location, target, KIND_MANIFEST, key, name,
                buffer.getLong(at + VERSION_TIMESTAMP_OFFSET, BYTE_ORDER),
                buffer.getInt(at + VERSION_NODE_ID_OFFSET, BYTE_ORDER));
        }
        return null;
    }
}
