package io.rfs.store.log;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.checksum.Crc32c;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongConsumer;

import static io.rfs.store.log.RecordDescriptor.*;

/**
 * An append-only log of checksummed records kept in memory-mapped segment files ({@code 0000000001.seg}, ...),
 * the storage under both the chunk store and the manifest store.
 * <p>
 * <b>Writing.</b> {@link #append} writes a record into the active segment and returns its location; it is not
 * durable until a later {@link #force()} returns. Records are written with positional writes ({@code pwrite}) from
 * an off-heap staging buffer, not through the mapping: a first store to a page of the mapping faults, and on a
 * sparse, just-reserved page the kernel reads it in as zeroes (with readahead) before the copy overwrites it, which
 * cost several times the copy itself. The mapping shares the page cache with the file, so reads through it see
 * what was written. Concurrent callers of {@code force} share one {@code fdatasync}
 * (group commit): a caller whose appends were covered by a force that finished while it waited returns at once.
 * A full segment is sealed with a {@link RecordDescriptor#TYPE_SEAL} record, forced, and a new one started.
 * <p>
 * <b>Recovery.</b> Opening scans every segment. A header that fails its checks starts a scan, 8 bytes at a time,
 * for the next valid header: what lies between is a corrupt region, skipped and counted. In an unsealed segment,
 * the records at the end whose payloads fail their CRC, and anything after them, are an interrupted append (a torn
 * tail): they are zeroed and forced, so later appends start on clean ground.
 * <p>
 * <b>Threads.</b> Appends, flag changes and segment deletion are serialised by this object's lock. Reads of a
 * record may run on any thread once its location was handed over safely; the caller must not read a segment it
 * is deleting (the store's read-write lock sees to that).
 */
public final class SegmentLog implements AutoCloseable
{
    /** Bits of a location that hold the offset within a segment. */
    public static final int OFFSET_BITS = 32;
    /** Bytes reserved ahead of the write position at a time. */
    static final int RESERVE_STEP = 8 * 1024 * 1024;
    /** Most bytes of a record staged and written at once; a larger record is written in pieces of this size. */
    static final int MAX_STAGED_BYTES = 2 * 1024 * 1024;
    private static final String SUFFIX = ".seg";
    static final String RETIRED_SUFFIX = ".retired";

    private final Path directory;
    private final Disk disk;
    private final int segmentCapacity;
    private final TreeMap<Integer, Segment> segments = new TreeMap<>();
    private final Object forceLock = new Object();
    private final List<Segment> dirty = new ArrayList<>();
    private ByteBuffer staging = ByteBuffer.allocateDirect(0);
    private final UnsafeBuffer stagingView = new UnsafeBuffer(0, 0);
    private Segment active;
    private long appendCount;
    private long durableCount;
    private final RecoveryReport recoveryReport;

    private SegmentLog(final Path directory, final Disk disk, final int segmentCapacity, final RecordVisitor visitor)
        throws IOException
    {
        this.directory = directory;
        this.disk = disk;
        this.segmentCapacity = segmentCapacity;
        Files.createDirectories(directory);
        this.recoveryReport = recover(visitor);
    }

    /**
     * Opens (or creates) the log in {@code directory}, handing every valid record to {@code visitor} in log order.
     *
     * @param directory       where the segment files live.
     * @param disk            file system calls.
     * @param segmentCapacity bytes per new segment file; at least 1 MiB and a multiple of 8.
     * @param visitor         receives the records found, so the caller can build its index.
     * @return the open log.
     * @throws IOException if a segment cannot be mapped or the tail cannot be repaired.
     */
    public static SegmentLog open(
        final Path directory, final Disk disk, final int segmentCapacity, final RecordVisitor visitor)
        throws IOException
    {
        if (segmentCapacity < 1024 * 1024 || segmentCapacity % ALIGNMENT != 0)
        {
            throw new IllegalArgumentException("segmentCapacity=" + segmentCapacity);
        }
        return new SegmentLog(directory, disk, segmentCapacity, visitor);
    }

    /**
     * @param segmentId segment id.
     * @param offset    byte offset of a record in it.
     * @return the location packing both.
     */
    public static long location(final int segmentId, final int offset)
    {
        return ((long)segmentId << OFFSET_BITS) | (offset & 0xFFFF_FFFFL);
    }

    /**
     * @param location a record location.
     * @return its segment id.
     */
    public static int segmentId(final long location)
    {
        return (int)(location >>> OFFSET_BITS);
    }

    /**
     * @param location a record location.
     * @return its offset within the segment.
     */
    public static int offset(final long location)
    {
        return (int)location;
    }

    /**
     * @return what recovery found when the log was opened.
     */
    public RecoveryReport recoveryReport()
    {
        return recoveryReport;
    }

    /**
     * Appends a record. Not durable until {@link #force()} returns.
     *
     * @param type       record type, see {@link RecordDescriptor}.
     * @param flags      record flags.
     * @param key        32-byte key.
     * @param rawLength  length before compression (equal to {@code length} if not compressed).
     * @param payload    array holding the payload.
     * @param offset     where the payload starts.
     * @param length     payload bytes.
     * @param payloadCrc CRC32C of the payload, computed by the caller off the append lock.
     * @return the record's location.
     * @throws IOException {@link io.rfs.store.DiskFullException} if no space could be reserved.
     */
    public synchronized long append(
        final byte type,
        final short flags,
        final byte[] key,
        final int rawLength,
        final byte[] payload,
        final int offset,
        final int length,
        final int payloadCrc) throws IOException
    {
        if (length < 0 || length > MAX_PAYLOAD_LENGTH || key.length != KEY_LENGTH)
        {
            throw new IllegalArgumentException("length=" + length + " key.length=" + key.length);
        }
        final int recordLength = recordLength(length);
        ensureRoom(recordLength);
        final Segment segment = active;
        final int position = segment.writePosition();
        writeRecord(segment, position, type, flags, key, rawLength, payload, offset, length, payloadCrc);
        segment.writePosition(position + recordLength);
        markDirty(segment);
        appendCount++;
        return location(segment.id(), position);
    }

    /**
     * Makes every record appended before this call durable. Callers that arrive while another force runs wait for
     * it and return at once if it covered their appends.
     *
     * @throws IOException if the device reports a failure.
     */
    public void force() throws IOException
    {
        final long target;
        synchronized (this)
        {
            target = appendCount;
        }
        synchronized (forceLock)
        {
            final List<Segment> toForce;
            final long covered;
            synchronized (this)
            {
                if (durableCount >= target)
                {
                    return;
                }
                toForce = new ArrayList<>(dirty);
                dirty.clear();
                covered = appendCount;
            }
            try
            {
                for (final Segment segment : toForce)
                {
                    disk.force(segment.path(), segment.channel());
                }
            }
            catch (final IOException ex)
            {
                synchronized (this)
                {
                    for (final Segment segment : toForce)
                    {
                        markDirty(segment);
                    }
                }
                throw ex;
            }
            synchronized (this)
            {
                durableCount = Math.max(durableCount, covered);
            }
        }
    }

    /**
     * @param location a record location.
     * @return the buffer of the record's segment; read the record at {@link #offset(long)}.
     * @throws IllegalArgumentException if no such segment exists.
     */
    public DirectBuffer buffer(final long location)
    {
        final Segment segment = segment(segmentId(location));
        if (segment == null)
        {
            throw new IllegalArgumentException("no segment for location=" + Long.toHexString(location));
        }
        return segment.buffer();
    }

    /**
     * Sets a flag on a stored record (for example to quarantine it) and forces the change.
     *
     * @param location the record.
     * @param flag     the flag to set.
     * @throws IOException if the change cannot be forced.
     */
    public void setFlag(final long location, final short flag) throws IOException
    {
        setFlag(new long[]{location}, 1, flag);
    }

    /**
     * Sets a flag on several stored records and then forces each segment they lie in once.
     *
     * @param locations the records.
     * @param count     how many of {@code locations}.
     * @param flag      the flag to set.
     * @throws IOException if the change cannot be forced.
     */
    public void setFlag(final long[] locations, final int count, final short flag) throws IOException
    {
        final List<Segment> touched = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final Segment segment = setFlagUnforced(locations[i], flag);
            if (segment != null && !touched.contains(segment))
            {
                touched.add(segment);
            }
        }
        for (final Segment segment : touched)
        {
            disk.force(segment.path(), segment.channel());
        }
    }

    private Segment setFlagUnforced(final long location, final short flag)
    {
        final Segment segment;
        synchronized (this)
        {
            segment = segments.get(segmentId(location));
            if (segment == null)
            {
                return null;
            }
            final UnsafeBuffer buffer = segment.buffer();
            final int offset = offset(location);
            buffer.putShort(offset + FLAGS_OFFSET, (short)(buffer.getShort(offset + FLAGS_OFFSET) | flag));
            buffer.putInt(offset + HEADER_CRC_OFFSET, computeHeaderCrc(buffer.addressOffset() + offset));
        }
        return segment;
    }

    /**
     * Visits every valid record of every segment, in log order. Records appended during the walk may or may not
     * be visited.
     *
     * @param visitor receives each record.
     */
    public void forEach(final RecordVisitor visitor)
    {
        for (final int id : segmentIds())
        {
            forEach(id, visitor);
        }
    }

    /**
     * Visits the valid records of one segment.
     *
     * @param segmentId the segment.
     * @param visitor   receives each record.
     */
    public void forEach(final int segmentId, final RecordVisitor visitor)
    {
        final Segment segment = segment(segmentId);
        if (segment == null)
        {
            return;
        }
        final int limit;
        synchronized (this)
        {
            limit = segment.writePosition();
        }
        final UnsafeBuffer buffer = segment.buffer();
        for (int offset = nextRecord(buffer, 0, limit); offset < limit; offset = nextRecord(buffer, offset, limit))
        {
            visitor.onRecord(location(segmentId, offset), buffer, offset);
            offset += recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
        }
    }

    /**
     * @param buffer a segment.
     * @param offset where to start looking.
     * @param limit  end of its records.
     * @return the offset of the first valid record header at or after {@code offset} (skipping corrupt regions 8
     * bytes at a time), or {@code limit} if there is none before it or a seal comes first.
     */
    static int nextRecord(final DirectBuffer buffer, final int offset, final int limit)
    {
        for (int at = offset; at < limit; at += ALIGNMENT)
        {
            if (isValidHeader(buffer, at, limit))
            {
                return buffer.getByte(at + TYPE_OFFSET) == TYPE_SEAL ? limit : at;
            }
        }
        return limit;
    }

    /**
     * @return ids of all segments, oldest first.
     */
    public synchronized List<Integer> segmentIds()
    {
        return Collections.unmodifiableList(new ArrayList<>(segments.keySet()));
    }

    /**
     * @return id of the segment appends go to.
     */
    public synchronized int activeSegmentId()
    {
        return active.id();
    }

    /**
     * @param segmentId a segment.
     * @return bytes of records written in it.
     */
    public synchronized long segmentUsedBytes(final int segmentId)
    {
        final Segment segment = segments.get(segmentId);
        return segment == null ? 0 : segment.writePosition();
    }

    /**
     * Starts a new active segment, sealing the current one, so that everything written so far lies in sealed
     * segments (compaction only rewrites sealed segments).
     *
     * @throws IOException if the seal cannot be forced or the new segment created.
     */
    public synchronized void roll() throws IOException
    {
        if (active.writePosition() > 0)
        {
            sealAndStartNext(0);
        }
    }

    /**
     * Deletes a sealed segment's file. The caller guarantees nothing reads it any more and that every record in
     * it that is still needed was copied and forced elsewhere first.
     *
     * @param segmentId a sealed segment.
     * @throws IOException if the file cannot be deleted.
     */
    public synchronized void deleteSegment(final int segmentId) throws IOException
    {
        final Segment segment = segments.get(segmentId);
        if (segment == null || segment == active)
        {
            throw new IllegalArgumentException("segmentId=" + segmentId + " is not a sealed segment");
        }
        segments.remove(segmentId);
        dirty.remove(segment);
        segment.close();
        Files.deleteIfExists(segment.path());
        disk.forceDirectory(directory);
    }

    /**
     * Takes a sealed segment out of the log for a compaction's finish: unmaps it and renames its file to
     * {@code <id>.seg.retired}, which recovery ignores and deletes. The rename is not durable until
     * {@link #forceDirectory()}. The bytes stay on the device until {@link #releaseRetired} frees them; deleting a
     * large file at once held the storage thread up 70 to 90 ms for a 256 MiB segment, mostly freeing its cached pages.
     *
     * @param segmentId a sealed segment; the caller guarantees nothing reads it any more and every record in it that
     *                  is still needed was copied and forced elsewhere first.
     * @return the retired file.
     * @throws IOException if the file cannot be renamed.
     */
    synchronized Path retireSegment(final int segmentId) throws IOException
    {
        final Segment segment = segments.get(segmentId);
        if (segment == null || segment == active)
        {
            throw new IllegalArgumentException("segmentId=" + segmentId + " is not a sealed segment");
        }
        segments.remove(segmentId);
        dirty.remove(segment);
        segment.close();
        final Path retired = segment.path().resolveSibling(segment.path().getFileName() + RETIRED_SUFFIX);
        Files.move(segment.path(), retired, StandardCopyOption.ATOMIC_MOVE);
        return retired;
    }

    /**
     * Frees the bytes of a retired segment file from its end, at most {@code budgetBytes} of its length, and deletes
     * it once it is empty.
     *
     * @param retired     a file from {@link #retireSegment}.
     * @param budgetBytes most bytes of its length freed.
     * @return true once the file is gone.
     * @throws IOException if it cannot be truncated or deleted.
     */
    static boolean releaseRetired(final Path retired, final long budgetBytes) throws IOException
    {
        if (!Files.exists(retired))
        {
            return true;
        }
        try (FileChannel channel = FileChannel.open(retired, StandardOpenOption.WRITE))
        {
            final long size = channel.size();
            if (size > budgetBytes)
            {
                channel.truncate(size - budgetBytes);
                return false;
            }
        }
        Files.delete(retired);
        return true;
    }

    /**
     * Forces the log's directory, making segment files created, renamed or deleted durable.
     *
     * @throws IOException on failure.
     */
    void forceDirectory() throws IOException
    {
        disk.forceDirectory(directory);
    }

    /**
     * Starts a compaction that the caller runs in steps ({@link SegmentCompaction}). Rolls the log first, so that
     * every record written so far lies in a sealed segment; the first steps then choose, oldest first, at most
     * {@code maxSegments} of the sealed segments where records {@code isLive} rejects take at least
     * {@code minGarbagePercent} of the used bytes.
     *
     * @param isLive            whether a record is still needed, for choosing the victims.
     * @param minGarbagePercent threshold; 0 chooses every sealed segment.
     * @param maxSegments       most segments rewritten, at least 1.
     * @param keep              whether a record is still needed; asked when a copy step reaches the record.
     * @param moved             told of each copy, old and new location, before the step returns.
     * @param reclaimed         told the bytes freed once the finish has taken the victims out.
     * @return the compaction, not started.
     * @throws IOException if the roll fails.
     */
    public SegmentCompaction startCompaction(
        final RecordFilter isLive,
        final int minGarbagePercent,
        final int maxSegments,
        final RecordFilter keep,
        final RelocationListener moved,
        final LongConsumer reclaimed) throws IOException
    {
        if (maxSegments < 1 || minGarbagePercent < 0 || minGarbagePercent > 100)
        {
            throw new IllegalArgumentException("maxSegments=" + maxSegments + " minGarbagePercent=" +
                minGarbagePercent);
        }
        roll();
        final List<Integer> candidates = new ArrayList<>(segmentIds());
        candidates.remove(Integer.valueOf(activeSegmentId()));
        return new SegmentCompaction(this, candidates, isLive, minGarbagePercent, maxSegments, keep, moved, reclaimed);
    }

    /**
     * Copies one record, as it lies, to the end of the log: the compaction's copy step.
     *
     * @param buffer its segment.
     * @param offset its header.
     * @param scratch a buffer of at least its stored length.
     * @param key     a buffer of {@link RecordDescriptor#KEY_LENGTH} bytes.
     * @return the copy's location.
     * @throws IOException {@link io.rfs.store.DiskFullException} if no space could be reserved.
     */
    long copy(final DirectBuffer buffer, final int offset, final byte[] scratch, final byte[] key) throws IOException
    {
        final int storedLength = buffer.getInt(offset + STORED_LENGTH_OFFSET);
        buffer.getBytes(offset + HEADER_LENGTH, scratch, 0, storedLength);
        buffer.getBytes(offset + KEY_OFFSET, key, 0, KEY_LENGTH);
        return append(
            buffer.getByte(offset + TYPE_OFFSET), buffer.getShort(offset + FLAGS_OFFSET), key,
            buffer.getInt(offset + RAW_LENGTH_OFFSET), scratch, 0, storedLength,
            buffer.getInt(offset + PAYLOAD_CRC_OFFSET));
    }

    /**
     * @param segmentId a segment.
     * @return its buffer, or null if it is gone.
     */
    UnsafeBuffer segmentBuffer(final int segmentId)
    {
        final Segment segment = segment(segmentId);
        return segment == null ? null : segment.buffer();
    }

    /**
     * @return bytes used by records in all segments.
     */
    public synchronized long usedBytes()
    {
        long used = 0;
        for (final Segment segment : segments.values())
        {
            used += segment.writePosition();
        }
        return used;
    }

    @Override
    public void close()
    {
        synchronized (this)
        {
            for (final Segment segment : segments.values())
            {
                segment.close();
            }
            segments.clear();
            BufferUtil.free(staging);
            staging = ByteBuffer.allocateDirect(0);
        }
    }

    private synchronized Segment segment(final int id)
    {
        return segments.get(id);
    }

    private void markDirty(final Segment segment)
    {
        if (!dirty.contains(segment))
        {
            dirty.add(segment);
        }
    }

    private void ensureRoom(final int recordLength) throws IOException
    {
        // Room is needed for this record and, after it, a seal record.
        if ((long)active.writePosition() + recordLength + HEADER_LENGTH > active.capacity())
        {
            // A record larger than a whole segment (a manifest of a very large file) gets a segment of its own size.
            sealAndStartNext(recordLength + HEADER_LENGTH);
        }
        final long needed = (long)active.writePosition() + recordLength + HEADER_LENGTH;
        if (needed > active.reservedUpTo())
        {
            final long end = Math.min(active.capacity(), Math.max(needed, active.reservedUpTo() + RESERVE_STEP));
            disk.reserve(active.path(), active.reservedUpTo(), end - active.reservedUpTo());
            active.reservedUpTo(end);
        }
    }

    private void sealAndStartNext(final int minCapacity) throws IOException
    {
        final Segment old = active;
        final int position = old.writePosition();
        writeSeal(old, position);
        old.writePosition(position + HEADER_LENGTH);
        disk.force(old.path(), old.channel());
        old.seal();
        active = createSegment(old.id() + 1, minCapacity);
    }

    private Segment createSegment(final int id, final int minCapacity) throws IOException
    {
        final Path path = directory.resolve(String.format("%010d%s", id, SUFFIX));
        final Segment segment = Segment.map(id, path, Math.max(segmentCapacity, BitUtil.align(minCapacity, ALIGNMENT)));
        disk.reserve(path, 0, Math.min(RESERVE_STEP, segmentCapacity));
        segment.reservedUpTo(Math.min(RESERVE_STEP, segmentCapacity));
        disk.forceDirectory(directory);
        segments.put(id, segment);
        return segment;
    }

    private void writeSeal(final Segment segment, final int position) throws IOException
    {
        final byte[] zeroKey = new byte[KEY_LENGTH];
        writeRecord(segment, position, TYPE_SEAL, (short)0, zeroKey, 0, zeroKey, 0, 0, 0);
    }

    /**
     * Writes header, payload and padding at {@code position} through the staging buffer, in as few positional
     * writes as it takes (one, unless the record is larger than {@link #MAX_STAGED_BYTES}). The blocks must have been
     * reserved.
     */
    private void writeRecord(
        final Segment segment,
        final int position,
        final byte type,
        final short flags,
        final byte[] key,
        final int rawLength,
        final byte[] payload,
        final int offset,
        final int length,
        final int payloadCrc) throws IOException
    {
        final int recordLength = recordLength(length);
        final UnsafeBuffer stage = staging(Math.min(recordLength, MAX_STAGED_BYTES));
        final int stageCapacity = stage.capacity();
        writeHeader(stage, 0, type, flags, key, length, rawLength, payloadCrc);
        int staged = HEADER_LENGTH;
        int copied = 0;
        int padding = recordLength - HEADER_LENGTH - length;
        long filePosition = position;
        while (true)
        {
            final int payloadBytes = Math.min(length - copied, stageCapacity - staged);
            stage.putBytes(staged, payload, offset + copied, payloadBytes);
            copied += payloadBytes;
            staged += payloadBytes;
            if (copied == length && padding > 0)
            {
                final int padBytes = Math.min(padding, stageCapacity - staged);
                stage.setMemory(staged, padBytes, (byte)0);
                staged += padBytes;
                padding -= padBytes;
            }
            final boolean done = copied == length && padding == 0;
            if (done || staged == stageCapacity)
            {
                filePosition += writeFully(segment, filePosition, staged);
                staged = 0;
            }
            if (done)
            {
                return;
            }
        }
    }

    private int writeFully(final Segment segment, final long filePosition, final int length) throws IOException
    {
        final ByteBuffer source = staging;
        source.clear().limit(length);
        long at = filePosition;
        while (source.hasRemaining())
        {
            at += segment.channel().write(source, at);
        }
        return length;
    }

    private UnsafeBuffer staging(final int minCapacity)
    {
        if (staging.capacity() < minCapacity)
        {
            BufferUtil.free(staging);
            staging = ByteBuffer.allocateDirect(BitUtil.align(minCapacity, ALIGNMENT));
            stagingView.wrap(staging);
        }
        return stagingView;
    }

    private static void writeHeader(
        final UnsafeBuffer buffer,
        final int position,
        final byte type,
        final short flags,
        final byte[] key,
        final int storedLength,
        final int rawLength,
        final int payloadCrc)
    {
        buffer.putInt(position + MAGIC_OFFSET, MAGIC);
        buffer.putByte(position + VERSION_OFFSET, CURRENT_VERSION);
        buffer.putByte(position + TYPE_OFFSET, type);
        buffer.putShort(position + FLAGS_OFFSET, flags);
        buffer.putInt(position + STORED_LENGTH_OFFSET, storedLength);
        buffer.putInt(position + RAW_LENGTH_OFFSET, rawLength);
        buffer.putBytes(position + KEY_OFFSET, key, 0, KEY_LENGTH);
        buffer.putInt(position + PAYLOAD_CRC_OFFSET, payloadCrc);
        buffer.putLong(position + RESERVED_OFFSET, 0L);
        buffer.putInt(position + HEADER_CRC_OFFSET, computeHeaderCrc(buffer.addressOffset() + position));
    }

    /**
     * @param payload bytes.
     * @param offset  where they start.
     * @param length  how many.
     * @return their CRC32C, as {@link #append} wants it.
     */
    public static int payloadCrc(final byte[] payload, final int offset, final int length)
    {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(payload, offset, length);
        return (int)crc.getValue();
    }

    private RecoveryReport recover(final RecordVisitor visitor) throws IOException
    {
        // a compaction killed before it freed the files it retired: their records were copied and forced first
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX + RETIRED_SUFFIX))
        {
            for (final Path path : stream)
            {
                Files.delete(path);
            }
        }
        final List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX))
        {
            for (final Path path : stream)
            {
                final String name = path.getFileName().toString();
                final String digits = name.substring(0, name.length() - SUFFIX.length());
                if (digits.matches("\\d{10}"))
                {
                    ids.add(Integer.parseInt(digits));
                }
            }
        }
        Collections.sort(ids);
        long records = 0;
        long tornTailBytes = 0;
        int corruptRegions = 0;
        long corruptBytes = 0;
        for (int i = 0; i < ids.size(); i++)
        {
            final int id = ids.get(i);
            final boolean last = i == ids.size() - 1;
            final Path path = directory.resolve(String.format("%010d%s", id, SUFFIX));
            final Segment segment = Segment.map(id, path, segmentCapacity);
            segments.put(id, segment);
            final UnsafeBuffer buffer = segment.buffer();
            final int limit = (int)Math.min(segment.capacity(), BitUtil.align(disk.dataEnd(path), ALIGNMENT));
            final IntArrayList found = new IntArrayList();
            int offset = 0;
            int end = 0;
            boolean sealed = false;
            int gapStart = -1;
            while (offset + HEADER_LENGTH <= limit)
            {
                if (isValidHeader(buffer, offset, limit))
                {
                    if (gapStart >= 0)
                    {
                        corruptRegions++;
                        corruptBytes += offset - gapStart;
                        gapStart = -1;
                    }
                    if (buffer.getByte(offset + TYPE_OFFSET) == TYPE_SEAL)
                    {
                        end = offset + HEADER_LENGTH;
                        sealed = true;
                        break;
                    }
                    found.addInt(offset);
                    offset += recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
                    end = offset;
                }
                else
                {
                    if (gapStart < 0)
                    {
                        gapStart = offset;
                    }
                    offset += ALIGNMENT;
                }
            }
            if (!sealed)
            {
                // An append interrupted by a crash leaves its header whole and its payload short: the records at
                // the end whose payloads fail their CRC are that torn tail. A bad payload with good records after
                // it is rot, not a tear; it stays indexed so that reading it reports and quarantines it.
                while (!found.isEmpty() && !isValidPayload(buffer, found.getInt(found.size() - 1)))
                {
                    found.removeAt(found.size() - 1);
                }
                end = found.isEmpty() ? 0 : found.getInt(found.size() - 1) +
                    recordLength(buffer.getInt(found.getInt(found.size() - 1) + STORED_LENGTH_OFFSET));
            }
            for (int r = 0; r < found.size(); r++)
            {
                visitor.onRecord(location(id, found.getInt(r)), buffer, found.getInt(r));
                records++;
            }
            segment.writePosition(end);
            if (sealed)
            {
                segment.seal();
            }
            else
            {
                tornTailBytes += zeroTail(segment, end, limit);
                if (!last)
                {
                    // A segment that lost its seal (rot, or a truncated file) but has a successor: seal it again
                    // where there is room, and in any case never append to it.
                    if (end + HEADER_LENGTH <= segment.capacity())
                    {
                        ensureReserved(segment, end + HEADER_LENGTH);
                        writeSeal(segment, end);
                        segment.writePosition(end + HEADER_LENGTH);
                        disk.force(segment.path(), segment.channel());
                    }
                    segment.seal();
                }
            }
        }
        final Segment last = segments.isEmpty() ? null : segments.lastEntry().getValue();
        if (last == null || last.isSealed())
        {
            active = createSegment(last == null ? 1 : last.id() + 1, 0);
        }
        else
        {
            active = last;
            disk.force(last.path(), last.channel());
        }
        return new RecoveryReport(ids.size(), records, tornTailBytes, corruptRegions, corruptBytes);
    }

    private void ensureReserved(final Segment segment, final long end) throws IOException
    {
        if (end > segment.reservedUpTo())
        {
            disk.reserve(segment.path(), 0, end);
            segment.reservedUpTo(end);
        }
    }

    /**
     * Zeroes whatever follows the last valid record, returning how many non-zero bytes there were.
     */
    private long zeroTail(final Segment segment, final int end, final int dataEnd) throws IOException
    {
        final UnsafeBuffer buffer = segment.buffer();
        final int limit = Math.min(dataEnd, segment.capacity()) & ~(ALIGNMENT - 1);
        int lastNonZero = -1;
        for (int offset = end; offset < limit; offset += ALIGNMENT)
        {
            if (buffer.getLong(offset) != 0)
            {
                lastNonZero = offset;
            }
        }
        if (lastNonZero < 0)
        {
            return 0;
        }
        final int length = lastNonZero + ALIGNMENT - end;
        buffer.setMemory(end, length, (byte)0);
        disk.force(segment.path(), segment.channel());
        return length;
    }

    static int crc(final DirectBuffer buffer, final int offset, final int length)
    {
        return Crc32c.INSTANCE.compute(buffer.addressOffset(), offset, length);
    }
}
