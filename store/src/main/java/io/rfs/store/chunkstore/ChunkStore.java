package io.rfs.store.chunkstore;

import io.rfs.store.CorruptChunkException;
import io.rfs.store.MissingChunkException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.RecoveryReport;
import io.rfs.store.log.SegmentCompaction;
import io.rfs.store.log.SegmentLog;
import io.rfs.store.log.StoredRecord;
import io.rfs.store.write.ChunkSink;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

import static io.rfs.store.log.RecordDescriptor.*;

/**
 * One node's chunks: content-addressed records in a {@link SegmentLog}, found through a {@link ChunkIndex}.
 * <p>
 * A chunk is written once (a second put of the same id is a no-op), read only after its bytes hash back to its
 * id, and quarantined the first time they do not: the record is flagged on disk, dropped from the index, and never
 * served again, so a later put of the same content stores a fresh copy. A chunk can also be {@link #drop dropped} on
 * purpose (a node that no longer owns it), the same way but with a flag of its own.
 * <p>
 * Thread safe. The caller must not run {@link #compact} concurrently with reads or writes, nor step a
 * {@link #startCompaction compaction} on another thread than the one that writes.
 */
public final class ChunkStore implements ChunkSink, AutoCloseable
{
    private final SegmentLog log;
    private final ChunkIndex index;
    private final int nodeId;
    private final List<ChunkId> quarantined = new ArrayList<>();
    private ChunkIndexListener listener = ChunkIndexListener.NONE;
    private long garbageBytes;
    private long heldBytes;

    private ChunkStore(final Path directory, final Disk disk, final int segmentCapacity, final int nodeId)
        throws IOException
    {
        this.nodeId = nodeId;
        this.index = new ChunkIndex(this::keyMatches);
        final LongArrayList recovered = new LongArrayList();
        this.log = SegmentLog.open(directory, disk, segmentCapacity,
            (location, buffer, offset) -> onRecovered(location, buffer, offset, recovered));
        // Indexed only now, in log order (the last copy of a chunk wins): the index confirms a prefix hit by reading
        // the key at the location it holds, through the log, and a chunk stored twice (by racing puts, or by a
        // compaction killed before it deleted its old segments) or two ids sharing a prefix make it do so. A dropped
        // record (held as ~location) removes the copies before it, so a drop outlives an older duplicate.
        for (int i = 0; i < recovered.size(); i++)
        {
            final long entry = recovered.getLong(i);
            final long location = entry < 0 ? ~entry : entry;
            final ChunkId id = ChunkId.read(log.buffer(location), SegmentLog.offset(location) + KEY_OFFSET);
            final long earlier = index.get(id);
            if (earlier != ChunkIndex.MISSING)
            {
                garbageBytes += recordBytes(earlier);
                heldBytes -= recordBytes(earlier);
            }
            if (entry < 0)
            {
                garbageBytes += recordBytes(location);
                index.remove(id);
            }
            else
            {
                index.put(id, location);
                heldBytes += recordBytes(location);
            }
        }
    }

    /**
     * Opens the chunk store in {@code directory}, recovering its index from the segments.
     *
     * @param directory       where segments live.
     * @param disk            file system calls.
     * @param segmentCapacity bytes per segment file.
     * @param nodeId          this node's id, named in errors.
     * @return the open store.
     * @throws IOException if recovery fails.
     */
    public static ChunkStore open(
        final Path directory, final Disk disk, final int segmentCapacity, final int nodeId) throws IOException
    {
        return new ChunkStore(directory, disk, segmentCapacity, nodeId);
    }

    /**
     * Sets who is told of every chunk that becomes held or stops being held from now on. Chunks held already are not
     * reported: read them with {@link #forEachChunk} after setting the listener, on the thread that changes the
     * store, so that nothing is missed or counted twice.
     *
     * @param listener the listener, or {@link ChunkIndexListener#NONE}.
     */
    public void indexListener(final ChunkIndexListener listener)
    {
        synchronized (index)
        {
            this.listener = listener == null ? ChunkIndexListener.NONE : listener;
        }
    }

    /**
     * @return what recovery found.
     */
    public RecoveryReport recoveryReport()
    {
        return log.recoveryReport();
    }

    /**
     * @param id a chunk.
     * @return true if a copy is held and not quarantined.
     */
    public boolean contains(final ChunkId id)
    {
        synchronized (index)
        {
            return index.get(id) != ChunkIndex.MISSING;
        }
    }

    /**
     * @return chunks held.
     */
    public int size()
    {
        synchronized (index)
        {
            return index.size();
        }
    }

    /**
     * Stores a chunk unless it is already held. Compression and checksumming run on the calling thread; only the
     * copy into the segment is serialised. Not durable until {@link #force()}.
     *
     * @param id     the chunk's id (the caller hashed {@code raw}).
     * @param raw    the chunk's bytes.
     * @param length how many.
     * @param codec  the calling thread's codec.
     * @return true if the chunk was written, false if it was already held.
     * @throws IOException {@link io.rfs.store.DiskFullException} if the disk is full.
     */
    public boolean put(final ChunkId id, final byte[] raw, final int length, final ChunkCodec codec)
        throws IOException
    {
        if (contains(id))
        {
            return false;
        }
        final int compressedLength = codec.compress(raw, length);
        final byte[] payload = compressedLength >= 0 ? codec.compressed() : raw;
        final int storedLength = compressedLength >= 0 ? compressedLength : length;
        append(id, length, compressedLength >= 0, payload, 0, storedLength);
        return true;
    }

    /**
     * Stores a chunk in the form the caller already has it, unless it is already held: a chunk received from a
     * peer that compressed it (or chose not to) is kept as it came. Nothing is compressed or hashed here; the caller
     * has checked that the payload decodes to {@code rawLength} bytes that hash to {@code id}. Not durable until
     * {@link #force()}.
     *
     * @param id         the chunk's id.
     * @param rawLength  the chunk's length before compression.
     * @param compressed whether the payload is an LZ4 block of {@code rawLength} bytes; if not, {@code length}
     *                   equals {@code rawLength}.
     * @param payload    array holding the stored form.
     * @param offset     where it starts.
     * @param length     its length.
     * @return true if the chunk was written, false if it was already held.
     * @throws IOException {@link io.rfs.store.DiskFullException} if the disk is full.
     */
    public boolean putStored(
        final ChunkId id,
        final int rawLength,
        final boolean compressed,
        final byte[] payload,
        final int offset,
        final int length) throws IOException
    {
        if (!compressed && length != rawLength)
        {
            throw new IllegalArgumentException("length=" + length + " differs from rawLength=" + rawLength +
                " but not compressed");
        }
        if (contains(id))
        {
            return false;
        }
        append(id, rawLength, compressed, payload, offset, length);
        return true;
    }

    private void append(
        final ChunkId id,
        final int rawLength,
        final boolean compressed,
        final byte[] payload,
        final int offset,
        final int length) throws IOException
    {
        final short flags = compressed ? FLAG_COMPRESSED : 0;
        final int crc = SegmentLog.payloadCrc(payload, offset, length);
        final long location = log.append(TYPE_CHUNK, flags, id.toBytes(), rawLength, payload, offset, length, crc);
        synchronized (index)
        {
            final long earlier = index.get(id);
            final boolean added = earlier == ChunkIndex.MISSING;
            if (!added)
            {
                garbageBytes += recordBytes(earlier);
                heldBytes -= recordBytes(earlier);
            }
            index.put(id, location);
            heldBytes += recordBytes(location);
            if (added)
            {
                listener.onChunkAdded(id);
            }
        }
    }

    @Override
    public void accept(final ChunkId id, final byte[] raw, final int length, final ChunkCodec codec)
        throws IOException
    {
        put(id, raw, length, codec);
    }

    /**
     * Makes every chunk put before this call durable (group commit).
     *
     * @throws IOException if the device fails.
     */
    @Override
    public void force() throws IOException
    {
        log.force();
    }

    /**
     * Reads a chunk and verifies it before returning.
     *
     * @param id    the chunk.
     * @param dst   destination, at least {@link #rawLength(ChunkId)} bytes (or the largest chunk size).
     * @param codec the calling thread's codec.
     * @return the chunk's length; {@code dst[0..length)} hashes to {@code id}.
     * @throws MissingChunkException if the chunk is not held.
     * @throws CorruptChunkException if the stored copy failed verification; it is now quarantined.
     */
    public int read(final ChunkId id, final byte[] dst, final ChunkCodec codec) throws IOException
    {
        final long location;
        synchronized (index)
        {
            location = index.get(id);
        }
        if (location == ChunkIndex.MISSING)
        {
            throw new MissingChunkException(id, nodeId);
        }
        final DirectBuffer buffer = log.buffer(location);
        final int offset = SegmentLog.offset(location);
        final String failure = readVerified(id, buffer, offset, dst, codec);
        if (failure != null)
        {
            quarantine(id, location);
            throw new CorruptChunkException(id, nodeId, failure);
        }
        return buffer.getInt(offset + RAW_LENGTH_OFFSET);
    }

    /**
     * Finds a held chunk's stored bytes so that they can be sent as they lie, compressed or not (zero copy), after
     * the checks {@link #read} makes before it hashes: the record header (magic, version, lengths, header CRC), its
     * type and key, and that an uncompressed payload is as long as the chunk. The payload itself is not hashed here;
     * whoever receives it does that. A record that fails is quarantined, as by {@link #read}.
     *
     * @param id     the chunk.
     * @param record filled with the record's place when found.
     * @return true if found, false if the chunk is not held.
     * @throws CorruptChunkException if the record failed its checks; it is now quarantined.
     * @throws IOException           if quarantining fails.
     */
    public boolean locate(final ChunkId id, final StoredRecord record) throws IOException
    {
        final long location;
        synchronized (index)
        {
            location = index.get(id);
        }
        if (location == ChunkIndex.MISSING)
        {
            return false;
        }
        final DirectBuffer buffer = log.buffer(location);
        final String failure = checkRecord(id, buffer, SegmentLog.offset(location));
        if (failure != null)
        {
            quarantine(id, location);
            throw new CorruptChunkException(id, nodeId, failure);
        }
        record.wrap(buffer, location);
        return true;
    }

    /**
     * Stops holding a chunk for good: flags its record {@code DROPPED} on disk and forces the flag before returning,
     * removes it from the index and tells the {@link ChunkIndexListener} ({@code quarantined} false). A restart does
     * not bring it back; {@link #compact} reclaims its bytes later; a later put of the same id stores a fresh record
     * that is held again. This is how a node deletes the copies it no longer owns after a ring change, and how
     * unreferenced chunks are reclaimed.
     * <p>
     * Call it on the thread that writes the store (a node's storage thread). A read already past the index when the
     * chunk is dropped may still return its bytes, which stay valid until a compaction. A kill before the force
     * returns leaves the chunk held, or dropped; either is consistent, and the caller has not yet said it dropped.
     * <p>
     * One case is not covered: an older unflagged duplicate of the record (left by two racing puts of the same chunk)
     * in a segment that a compaction did not rewrite comes back after a restart once a compaction has reclaimed the
     * flagged copy. The chunk is then held again, whole and verified; whoever dropped it sees it and may drop it again.
     *
     * @param id the chunk.
     * @return true if it was held and is now dropped, false if it was not held.
     * @throws IOException if the flag cannot be forced; the chunk is then no longer indexed, but may come back after
     *                     a restart.
     */
    public boolean drop(final ChunkId id) throws IOException
    {
        return drop(List.of(id), null) == 1;
    }

    /**
     * As {@link #drop(ChunkId)} for several chunks, with one force per segment touched rather than one per chunk.
     *
     * @param ids     the chunks.
     * @param dropped if not null, at least {@code ids.size()} long: set true for each chunk dropped, false for each
     *                that was not held.
     * @return how many were held and are now dropped.
     * @throws IOException if the flags cannot be forced (as for {@link #drop(ChunkId)}).
     */
    public int drop(final List<ChunkId> ids, final boolean[] dropped) throws IOException
    {
        final long[] locations = new long[ids.size()];
        int count = 0;
        synchronized (index)
        {
            for (int i = 0; i < ids.size(); i++)
            {
                final ChunkId id = ids.get(i);
                final long location = index.get(id);
                if (dropped != null)
                {
                    dropped[i] = location != ChunkIndex.MISSING;
                }
                if (location != ChunkIndex.MISSING)
                {
                    index.remove(id);
                    listener.onChunkRemoved(id, false);
                    locations[count++] = location;
                    garbageBytes += recordBytes(location);
                    heldBytes -= recordBytes(location);
                }
            }
        }
        log.setFlag(locations, count, FLAG_DROPPED);
        return count;
    }

    /**
     * @param id a chunk.
     * @return its raw length, or -1 if not held.
     */
    public int rawLength(final ChunkId id)
    {
        final long location;
        synchronized (index)
        {
            location = index.get(id);
        }
        return location == ChunkIndex.MISSING ? -1 :
            log.buffer(location).getInt(SegmentLog.offset(location) + RAW_LENGTH_OFFSET);
    }

    /**
     * @return ids quarantined since the store was opened, and those found flagged on disk when it was.
     */
    public List<ChunkId> quarantined()
    {
        synchronized (quarantined)
        {
            return new ArrayList<>(quarantined);
        }
    }

    /**
     * Calls {@code consumer} with the id of every chunk held; the index lock is not held during the calls.
     *
     * @param consumer receives each id.
     */
    public void forEachChunk(final java.util.function.Consumer<ChunkId> consumer)
    {
        forEachChunk(prefix -> true, consumer);
    }

    /**
     * Calls {@code consumer} with the id of every chunk held whose prefix (its first 8 bytes, the ring position)
     * passes the filter; the index lock is not held during the calls. Only those ids are read from the log, so a
     * query for one ring range costs a pass over the index, not a read of every record.
     *
     * @param prefixes which prefixes to report.
     * @param consumer receives each id.
     */
    public void forEachChunk(final LongPredicate prefixes, final java.util.function.Consumer<ChunkId> consumer)
    {
        final LongArrayList locations = new LongArrayList();
        synchronized (index)
        {
            index.forEach((prefix, location) ->
            {
                if (prefixes.test(prefix))
                {
                    locations.addLong(location);
                }
            });
        }
        for (int i = 0; i < locations.size(); i++)
        {
            final long location = locations.getLong(i);
            consumer.accept(ChunkId.read(log.buffer(location), SegmentLog.offset(location) + KEY_OFFSET));
        }
    }

    /**
     * Reclaims space: rewrites the live chunks of sealed segments with at least {@code minGarbagePercent} of
     * garbage into the active segment, forces them, and only then deletes the old segment files. A kill at any
     * point leaves every live chunk in at least one intact record. The caller must hold off all other use of this
     * store meanwhile.
     *
     * @param isLive            whether a chunk, by id prefix, is still referenced; prefix collisions only keep
     *                          garbage a while longer.
     * @param minGarbagePercent rewrite segments with at least this share of garbage bytes (0 rewrites all).
     * @return what was reclaimed.
     * @throws IOException if copying or deleting fails; the store stays consistent.
     */
    public CompactionReport compact(final LongPredicate isLive, final int minGarbagePercent) throws IOException
    {
        return compact(isLive, minGarbagePercent, Integer.MAX_VALUE);
    }

    /**
     * As {@link #compact(LongPredicate, int)}, rewriting at most {@code maxSegments} of the segments it selects (the
     * oldest), which bounds how long it takes: about the time to copy and force the live bytes of that many segments.
     *
     * @param isLive            whether a chunk, by id prefix, is still referenced.
     * @param minGarbagePercent rewrite segments with at least this share of garbage bytes (0 rewrites all).
     * @param maxSegments       most segments rewritten, at least 1.
     * @return what was reclaimed.
     * @throws IOException if copying or deleting fails; the store stays consistent.
     */
    public CompactionReport compact(final LongPredicate isLive, final int minGarbagePercent, final int maxSegments)
        throws IOException
    {
        final long bytesBefore = log.usedBytes();
        final long[] dropped = new long[1];
        final SegmentCompaction compaction = startCompaction(isLive, minGarbagePercent, maxSegments, dropped);
        compaction.run();
        return new CompactionReport(compaction.segments(), compaction.recordsCopied(), dropped[0], bytesBefore,
            bytesBefore - compaction.reclaimedBytes());
    }

    /**
     * Starts a compaction of the chunks of every id prefix that the caller runs in steps on the thread that writes
     * the store, serving reads, puts and drops in between (see {@link SegmentCompaction}): it rewrites at most
     * {@code maxSegments} sealed segments with at least {@code minGarbagePercent} garbage, the oldest first. Each step
     * points the index at the chunks it copied; a chunk dropped or quarantined between steps is flagged in the copy
     * the index points to, which recovery reads after the victim's older record, so the drop holds after a kill.
     * Only {@link SegmentCompaction#finish} unmaps the victims: nothing may still read a location found before it.
     * The finish takes the bytes it frees off {@link #garbageBytes()}; {@link SegmentCompaction#release} steps free
     * them on the device.
     * <p>
     * The first steps choose the victims: they read the headers of the sealed segments' records (and look each up in
     * the index), a step's budget at a time, up to the last segment chosen.
     *
     * @param minGarbagePercent rewrite segments with at least this share of garbage bytes (0 rewrites all).
     * @param maxSegments       most segments rewritten, at least 1.
     * @return the compaction; it rewrites no segment if none has that much garbage.
     * @throws IOException if the log cannot be rolled.
     */
    public SegmentCompaction startCompaction(final int minGarbagePercent, final int maxSegments) throws IOException
    {
        return startCompaction(prefix -> true, minGarbagePercent, maxSegments, new long[1]);
    }

    private SegmentCompaction startCompaction(
        final LongPredicate isLive, final int minGarbagePercent, final int maxSegments, final long[] dropped)
        throws IOException
    {
        return log.startCompaction(
            (location, buffer, offset) -> isCurrent(location, buffer, offset) &&
                isLive.test(ChunkId.read(buffer, offset + KEY_OFFSET).prefix()),
            minGarbagePercent,
            maxSegments,
            (location, buffer, offset) ->
            {
                if (!isCurrent(location, buffer, offset))
                {
                    return false;
                }
                final ChunkId id = ChunkId.read(buffer, offset + KEY_OFFSET);
                if (isLive.test(id.prefix()))
                {
                    return true;
                }
                synchronized (index)
                {
                    index.remove(id);
                    listener.onChunkRemoved(id, false);
                    heldBytes -= recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
                }
                dropped[0]++;
                return false;
            },
            (oldLocation, newLocation) ->
            {
                final ChunkId id = ChunkId.read(log.buffer(oldLocation), SegmentLog.offset(oldLocation) + KEY_OFFSET);
                synchronized (index)
                {
                    index.put(id, newLocation);
                }
            },
            reclaimed ->
            {
                synchronized (index)
                {
                    garbageBytes = Math.max(0, garbageBytes - reclaimed);
                }
            });
    }

    /**
     * An estimate of the segment bytes that no held chunk uses: records dropped, quarantined or superseded by a later
     * copy, counted as they become so (and by recovery for those it finds), less what compactions reclaimed. Whoever
     * compacts decides by it when a compaction is worth its copying.
     *
     * @return garbage bytes, never negative.
     */
    public long garbageBytes()
    {
        synchronized (index)
        {
            return garbageBytes;
        }
    }

    /**
     * The bytes of the records of the chunks held (headers included, as a copy to another node moves them), counted
     * as chunks are stored, dropped and quarantined, and by recovery; unlike the segment files' size it leaves out
     * garbage and the space a segment reserves ahead of writes.
     *
     * @return bytes of held chunk records.
     */
    public long heldBytes()
    {
        synchronized (index)
        {
            return heldBytes;
        }
    }

    /**
     * Verifies one chunk in place, quarantining it if it fails.
     *
     * @param id      the chunk.
     * @param scratch a destination large enough for the chunk.
     * @param codec   the calling thread's codec.
     * @return null if the chunk is sound or no longer held, else what failed.
     * @throws IOException if quarantining fails.
     */
    public String verify(final ChunkId id, final byte[] scratch, final ChunkCodec codec) throws IOException
    {
        try
        {
            read(id, scratch, codec);
            return null;
        }
        catch (final MissingChunkException ex)
        {
            return null;
        }
        catch (final CorruptChunkException ex)
        {
            return ex.getMessage();
        }
    }

    @Override
    public void close()
    {
        log.close();
    }

    private boolean isCurrent(final long location, final DirectBuffer buffer, final int offset)
    {
        if (buffer.getByte(offset + TYPE_OFFSET) != TYPE_CHUNK)
        {
            return false;
        }
        final ChunkId id = ChunkId.read(buffer, offset + KEY_OFFSET);
        synchronized (index)
        {
            return index.get(id) == location;
        }
    }

    private String readVerified(
        final ChunkId id, final DirectBuffer buffer, final int offset, final byte[] dst, final ChunkCodec codec)
    {
        final String failure = checkRecord(id, buffer, offset);
        if (failure != null)
        {
            return failure;
        }
        final short flags = buffer.getShort(offset + FLAGS_OFFSET);
        final int storedLength = buffer.getInt(offset + STORED_LENGTH_OFFSET);
        final int rawLength = buffer.getInt(offset + RAW_LENGTH_OFFSET);
        if (dst.length < rawLength)
        {
            throw new IllegalArgumentException("dst.length=" + dst.length + " rawLength=" + rawLength);
        }
        if ((flags & FLAG_COMPRESSED) != 0)
        {
            final byte[] stored = codec.scratch(storedLength);
            buffer.getBytes(offset + HEADER_LENGTH, stored, 0, storedLength);
            if (!codec.decompress(stored, storedLength, dst, rawLength))
            {
                return "LZ4 data does not decompress to its recorded " + rawLength + " bytes";
            }
        }
        else
        {
            buffer.getBytes(offset + HEADER_LENGTH, dst, 0, rawLength);
        }
        if (!codec.matches(id, dst, rawLength))
        {
            return "SHA-256 of the stored bytes does not match the chunk id";
        }
        return null;
    }

    private static String checkRecord(final ChunkId id, final DirectBuffer buffer, final int offset)
    {
        if (!isValidHeader(buffer, offset, buffer.capacity()))
        {
            return "record header fails its checks";
        }
        if (buffer.getByte(offset + TYPE_OFFSET) != TYPE_CHUNK || !id.matches(buffer, offset + KEY_OFFSET))
        {
            return "record at its location is not this chunk";
        }
        final int storedLength = buffer.getInt(offset + STORED_LENGTH_OFFSET);
        final int rawLength = buffer.getInt(offset + RAW_LENGTH_OFFSET);
        if ((buffer.getShort(offset + FLAGS_OFFSET) & FLAG_COMPRESSED) == 0 && storedLength != rawLength)
        {
            return "raw record length " + storedLength + " differs from recorded " + rawLength;
        }
        return null;
    }

    private void quarantine(final ChunkId id, final long location) throws IOException
    {
        synchronized (index)
        {
            if (index.get(id) == location)
            {
                index.remove(id);
                listener.onChunkRemoved(id, true);
                garbageBytes += recordBytes(location);
                heldBytes -= recordBytes(location);
            }
        }
        synchronized (quarantined)
        {
            if (!quarantined.contains(id))
            {
                quarantined.add(id);
            }
        }
        log.setFlag(location, FLAG_QUARANTINED);
    }

    private long recordBytes(final long location)
    {
        return recordLength(log.buffer(location).getInt(SegmentLog.offset(location) + STORED_LENGTH_OFFSET));
    }

    private boolean keyMatches(final long location, final ChunkId id)
    {
        return id.matches(log.buffer(location), SegmentLog.offset(location) + KEY_OFFSET);
    }

    private void onRecovered(
        final long location, final DirectBuffer buffer, final int offset, final LongArrayList recovered)
    {
        if (buffer.getByte(offset + TYPE_OFFSET) != TYPE_CHUNK)
        {
            return;
        }
        final short flags = buffer.getShort(offset + FLAGS_OFFSET);
        if ((flags & FLAG_DROPPED) != 0)
        {
            recovered.addLong(~location);
            return;
        }
        if ((flags & FLAG_QUARANTINED) != 0)
        {
            quarantined.add(ChunkId.read(buffer, offset + KEY_OFFSET));
            garbageBytes += recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
            return;
        }
        recovered.addLong(location);
    }
}
