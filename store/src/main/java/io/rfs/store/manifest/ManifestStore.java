package io.rfs.store.manifest;

import io.rfs.store.FileStat;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.log.Disk;
import io.rfs.store.log.RecordDescriptor;
import io.rfs.store.log.RecoveryReport;
import io.rfs.store.log.SegmentCompaction;
import io.rfs.store.log.SegmentLog;
import io.rfs.store.log.StoredRecord;
import org.agrona.DirectBuffer;
import io.rfs.store.chunk.ChunkId;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

import static io.rfs.store.log.RecordDescriptor.*;

/**
 * One node's manifests: every version written is a record in a {@link SegmentLog}; memory holds, per name, only
 * the current version's {@link FileStat} and location. The full manifest (with its chunk list) is decoded from
 * the mapped log when asked for.
 * <p>
 * A manifest becomes current only if its version is newer than the current one, so replaying or receiving an old
 * version is harmless. {@link #put} returns once the record is durable. Thread safe.
 */
public final class ManifestStore implements AutoCloseable
{
    private final SegmentLog log;
    private final HybridLogicalClock clock;
    private final TreeMap<String, Entry> current = new TreeMap<>();
    private final Long2ObjectHashMap<String> nameByLocation = new Long2ObjectHashMap<>();
    private long corruptRecords;
    private long garbageBytes;
    private ManifestIndexListener indexListener = ManifestIndexListener.NONE;
    private final ManifestDecoder recoveryDecoder = new ManifestDecoder();
    private final byte[] recoverySha256 = new byte[32];

    private record Entry(FileStat stat, long location, int recordLength)
    {
    }

    private ManifestStore(final Path directory, final Disk disk, final int segmentCapacity,
        final HybridLogicalClock clock) throws IOException
    {
        this.clock = clock;
        this.log = SegmentLog.open(directory, disk, segmentCapacity, this::onRecovered);
    }

    /**
     * Opens (or creates) the manifest store in {@code directory}. Every version found is shown to {@code clock} so
     * that new versions order after stored ones even if the wall clock went back.
     *
     * @param directory       where the log lives.
     * @param disk            file system calls.
     * @param segmentCapacity bytes per segment file.
     * @param clock           this node's hybrid logical clock.
     * @return the open store.
     * @throws IOException if recovery fails.
     */
    public static ManifestStore open(
        final Path directory, final Disk disk, final int segmentCapacity, final HybridLogicalClock clock)
        throws IOException
    {
        return new ManifestStore(directory, disk, segmentCapacity, clock);
    }

    /**
     * Sets who is told of each change of a name's newest version from now on (the versions recovered on open are
     * not told: read them with {@link #forEachNewest}).
     *
     * @param listener the listener, or {@link ManifestIndexListener#NONE}.
     */
    public synchronized void indexListener(final ManifestIndexListener listener)
    {
        this.indexListener = listener;
    }

    /**
     * Visits the newest version held of each name, tombstones included, in name order ({@link String#compareTo})
     * from the first name after {@code after}, until the visitor returns false. Holds the store's lock meanwhile.
     *
     * @param after   start after this name; null to start at the first.
     * @param visitor receives each stat; returns false to stop.
     */
    public synchronized void forEachNewest(final String after, final Predicate<FileStat> visitor)
    {
        for (final Entry entry : (after == null ? current : current.tailMap(after, false)).values())
        {
            if (!visitor.test(entry.stat()))
            {
                return;
            }
        }
    }

    /**
     * @return what recovery found in the log.
     */
    public RecoveryReport recoveryReport()
    {
        return log.recoveryReport();
    }

    /**
     * @return manifest records that passed their checksums but failed to decode when the store was opened.
     */
    public synchronized long corruptRecords()
    {
        return corruptRecords;
    }

    /**
     * Writes a manifest durably and makes it current if it is the newest version of its name.
     *
     * @param manifest the manifest.
     * @return true if it became current.
     * @throws IOException if it cannot be written or forced.
     */
    public boolean put(final Manifest manifest) throws IOException
    {
        clock.observe(manifest.version().timestamp());
        final int length = ManifestCodec.encodedLength(manifest);
        final byte[] bytes = new byte[length];
        ManifestCodec.encode(manifest, new UnsafeBuffer(bytes), 0);
        final byte[] key = nameKey(manifest.name());
        final int crc = SegmentLog.payloadCrc(bytes, 0, length);
        final long location = log.append(TYPE_MANIFEST, (short)0, key, length, bytes, 0, length, crc);
        log.force();
        synchronized (this)
        {
            return offer(manifest.toStat(), location, recordLength(length));
        }
    }

    /**
     * The first half of a group-committed put: appends an encoded manifest (as received, already verified by
     * {@code decoder}) without forcing it and without making it current. Append a batch, {@link #force()} once, then
     * {@link #publish} each location; until then readers go on seeing the previous version.
     *
     * @param manifest a wrapped, verified manifest view.
     * @return the record's location, for {@link #publish}.
     * @throws IOException {@link io.rfs.store.DiskFullException} if the disk is full.
     */
    public long append(final ManifestDecoder manifest) throws IOException
    {
        clock.observe(manifest.versionTimestamp());
        final int length = manifest.encodedLength();
        final byte[] bytes = new byte[length];
        manifest.buffer().getBytes(manifest.offset(), bytes, 0, length);
        final MessageDigest sha256 = Sha256.newDigest();
        sha256.update(bytes, ManifestDescriptor.HEADER_LENGTH, manifest.nameLength());
        final byte[] key = sha256.digest();
        final int crc = SegmentLog.payloadCrc(bytes, 0, length);
        return log.append(TYPE_MANIFEST, (short)0, key, length, bytes, 0, length, crc);
    }

    /**
     * Makes every manifest appended before this call durable: one {@code fdatasync} for a batch.
     *
     * @throws IOException if the device reports a failure; the batch must then be treated as not written.
     */
    public void force() throws IOException
    {
        log.force();
    }

    /**
     * The second half of a group-committed put, after {@link #force()}: makes the manifest at {@code location}
     * current if it is the newest version of its name.
     *
     * @param location from {@link #append}.
     * @return true if it became current, false if this version or a newer one was current already.
     * @throws CorruptManifestException if the record no longer decodes.
     */
    public boolean publish(final long location) throws CorruptManifestException
    {
        final DirectBuffer buffer = log.buffer(location);
        final int offset = SegmentLog.offset(location);
        final ManifestDecoder decoder = new ManifestDecoder()
            .wrap(buffer, offset + HEADER_LENGTH, buffer.getInt(offset + STORED_LENGTH_OFFSET));
        final byte[] sha256 = new byte[ManifestDescriptor.SHA256_LENGTH];
        decoder.getSha256(sha256, 0);
        final FileStat stat = new FileStat(decoder.name(), decoder.size(), Manifest.sha256Hex(sha256),
            decoder.chunkCount(), decoder.version(), decoder.isTombstone());
        synchronized (this)
        {
            return offer(stat, location, recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET)));
        }
    }

    /**
     * Finds the current version of a name as stored, so that it can be sent as it lies (zero copy), after checking
     * the record's header, its payload checksum and that its key is the name's. The manifest is not decoded here;
     * whoever receives it does that.
     *
     * @param name   a file name.
     * @param record filled with the record's place when found.
     * @return true if found (possibly a tombstone), false if the name was never written.
     * @throws CorruptManifestException if the record fails its checks.
     */
    public boolean locateCurrent(final String name, final StoredRecord record) throws CorruptManifestException
    {
        final Entry entry;
        synchronized (this)
        {
            entry = current.get(name);
        }
        if (entry == null)
        {
            return false;
        }
        final long location = entry.location();
        final DirectBuffer buffer = log.buffer(location);
        final int offset = SegmentLog.offset(location);
        if (!RecordDescriptor.isValidHeader(buffer, offset, buffer.capacity()) ||
            !RecordDescriptor.isValidPayload(buffer, offset) ||
            buffer.getByte(offset + TYPE_OFFSET) != TYPE_MANIFEST)
        {
            throw new CorruptManifestException("manifest record of " + name + " at " + Long.toHexString(location) +
                " fails its checksum");
        }
        final byte[] key = nameKey(name);
        for (int i = 0; i < KEY_LENGTH; i++)
        {
            if (buffer.getByte(offset + KEY_OFFSET + i) != key[i])
            {
                throw new CorruptManifestException("manifest record at " + Long.toHexString(location) +
                    " is not that of " + name);
            }
        }
        record.wrap(buffer, location);
        return true;
    }

    /**
     * @param name a file name.
     * @return the current version (possibly a tombstone), or null if the name was never written.
     * @throws IOException if the stored record no longer decodes.
     */
    public Manifest current(final String name) throws IOException
    {
        final Entry entry;
        synchronized (this)
        {
            entry = current.get(name);
        }
        if (entry == null)
        {
            return null;
        }
        return decodeAt(entry.location());
    }

    /**
     * @param name a file name.
     * @return the current version's stat (possibly a tombstone), or null.
     */
    public synchronized FileStat stat(final String name)
    {
        final Entry entry = current.get(name);
        return entry == null ? null : entry.stat();
    }

    /**
     * @param prefix a name prefix, empty for all.
     * @return the stats of live (not deleted) files with that prefix, in name order.
     */
    public synchronized List<FileStat> list(final String prefix)
    {
        final List<FileStat> result = new ArrayList<>();
        for (final Map.Entry<String, Entry> e : current.tailMap(prefix, true).entrySet())
        {
            if (!e.getKey().startsWith(prefix))
            {
                break;
            }
            if (!e.getValue().stat().tombstone())
            {
                result.add(e.getValue().stat());
            }
        }
        return result;
    }

    /**
     * One page of a listing: the current versions whose names start with {@code prefix} and sort after
     * {@code after}, in name order ({@link String#compareTo}). Costs memory in proportion to {@code limit}, not to
     * the number of names.
     *
     * @param prefix            a name prefix, empty for all.
     * @param after             list names greater than this one; null or empty to start at the first.
     * @param includeTombstones whether deleted names (tombstones) are listed too.
     * @param limit             most entries returned, at least 1.
     * @return up to {@code limit} stats.
     */
    public synchronized List<FileStat> list(
        final String prefix, final String after, final boolean includeTombstones, final int limit)
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit=" + limit + " must be at least 1");
        }
        final boolean afterPrefix = after != null && after.compareTo(prefix) >= 0;
        final SortedMap<String, Entry> tail = afterPrefix ?
            current.tailMap(after, false) : current.tailMap(prefix, true);
        final List<FileStat> result = new ArrayList<>(Math.min(limit, 64));
        for (final Map.Entry<String, Entry> e : tail.entrySet())
        {
            if (!e.getKey().startsWith(prefix) || result.size() == limit)
            {
                break;
            }
            if (includeTombstones || !e.getValue().stat().tombstone())
            {
                result.add(e.getValue().stat());
            }
        }
        return result;
    }

    /**
     * @return names held, tombstones included; any thread.
     */
    public synchronized int size()
    {
        return current.size();
    }

    /**
     * @return names of live files, in name order.
     */
    public synchronized List<String> liveNames()
    {
        final List<String> names = new ArrayList<>();
        for (final Map.Entry<String, Entry> e : current.entrySet())
        {
            if (!e.getValue().stat().tombstone())
            {
                names.add(e.getKey());
            }
        }
        return names;
    }

    /**
     * Stops holding names for good, each only if the newest version held of it is {@code upTo} or older (a newer
     * version written since the caller looked is kept, with the name). Every record of a dropped name is flagged
     * {@code DROPPED} on disk, the superseded ones first and forced, then the current ones and forced, before this
     * returns; then the names leave the index and the {@link ManifestIndexListener} is told. Recovery skips a dropped
     * record, so no version comes back after a restart, an older one least of all: a kill between the two forces
     * leaves the current version held and only older ones dropped. Compaction reclaims the bytes.
     * <p>
     * Finds the superseded records by scanning the log's record headers (and decoding the versions of those with a
     * dropped name's key): time in proportion to the records held, once per call, so call it with a batch.
     *
     * @param names   the names.
     * @param upTo    per name, the newest version it may have here to be dropped.
     * @param dropped at least {@code names.size()} long: set true for each name dropped, false for each kept (not
     *                held, or held at a newer version).
     * @return how many names were dropped.
     * @throws IOException if the flags cannot be forced; the names dropped so far in memory stay held until a
     *                     restart, which may find them dropped.
     */
    public int drop(final List<String> names, final List<Version> upTo, final boolean[] dropped) throws IOException
    {
        final Map<ChunkId, Integer> picked = new HashMap<>();
        final LongHashSet prefixes = new LongHashSet();
        final LongHashSet currentLocations = new LongHashSet();
        synchronized (this)
        {
            for (int i = 0; i < names.size(); i++)
            {
                final Entry entry = current.get(names.get(i));
                dropped[i] = entry != null && !entry.stat().version().isNewerThan(upTo.get(i));
                if (dropped[i])
                {
                    final ChunkId key = ChunkId.of(nameKey(names.get(i)));
                    picked.put(key, i);
                    prefixes.add(key.prefix());
                    currentLocations.add(entry.location());
                }
            }
        }
        if (picked.isEmpty())
        {
            return 0;
        }
        final LongArrayList older = new LongArrayList();
        final LongArrayList newest = new LongArrayList();
        final ManifestDecoder decoder = new ManifestDecoder();
        log.forEach((location, buffer, offset) ->
        {
            if (buffer.getByte(offset + TYPE_OFFSET) != TYPE_MANIFEST ||
                (buffer.getShort(offset + FLAGS_OFFSET) & FLAG_DROPPED) != 0 ||
                !prefixes.contains(buffer.getLong(offset + KEY_OFFSET, ByteOrder.BIG_ENDIAN)))
            {
                return;
            }
            final Integer i = picked.get(ChunkId.read(buffer, offset + KEY_OFFSET));
            if (i != null && !versionAt(decoder, buffer, offset).isNewerThan(upTo.get(i)))
            {
                (currentLocations.contains(location) ? newest : older).addLong(location);
            }
        });
        log.setFlag(older.toLongArray(), older.size(), FLAG_DROPPED);
        log.setFlag(newest.toLongArray(), newest.size(), FLAG_DROPPED);
        int count = 0;
        synchronized (this)
        {
            for (final int i : picked.values())
            {
                final Entry entry = current.get(names.get(i));
                if (entry == null || !currentLocations.contains(entry.location()))
                {
                    dropped[i] = false;
                    continue;
                }
                current.remove(names.get(i));
                nameByLocation.remove(entry.location());
                garbageBytes += entry.recordLength();
                indexListener.onNewestChanged(entry.stat(), null);
                count++;
            }
        }
        return count;
    }

    /**
     * Rewrites the current versions held in sealed segments and drops superseded ones, in one call. The caller holds
     * off all other use of the store meanwhile.
     *
     * @param minGarbagePercent rewrite segments with at least this share of superseded bytes.
     * @return records copied.
     * @throws IOException if the rewrite fails; the store stays consistent.
     */
    public long compact(final int minGarbagePercent) throws IOException
    {
        final SegmentCompaction compaction = startCompaction(minGarbagePercent, Integer.MAX_VALUE);
        compaction.run();
        return compaction.recordsCopied();
    }

    /**
     * Starts a compaction of the manifest log that the caller runs in steps on the thread that writes the store,
     * serving puts, reads and drops in between (see {@link SegmentCompaction}): at most {@code maxSegments} sealed
     * segments with at least {@code minGarbagePercent} garbage (superseded and dropped versions), the oldest first,
     * their current versions copied. A step points the name at the copy; a newer version put between steps supersedes
     * the copy; a {@link #drop} between steps flags every record of the name it finds, the victims' included, so no
     * version comes back after a kill. The finish takes the bytes it frees off {@link #garbageBytes()}.
     *
     * @param minGarbagePercent rewrite segments with at least this share of garbage bytes (0 rewrites all).
     * @param maxSegments       most segments rewritten, at least 1.
     * @return the compaction; it rewrites no segment if none has that much garbage.
     * @throws IOException if the log cannot be rolled.
     */
    public SegmentCompaction startCompaction(final int minGarbagePercent, final int maxSegments) throws IOException
    {
        return log.startCompaction(this::isCurrent, minGarbagePercent, maxSegments, this::isCurrent,
            (oldLocation, newLocation) ->
            {
                synchronized (this)
                {
                    final String name = nameByLocation.remove(oldLocation);
                    if (name != null)
                    {
                        final Entry entry = current.get(name);
                        current.put(name, new Entry(entry.stat(), newLocation, entry.recordLength()));
                        nameByLocation.put(newLocation, name);
                    }
                }
            },
            reclaimed ->
            {
                synchronized (this)
                {
                    garbageBytes = Math.max(0, garbageBytes - reclaimed);
                }
            });
    }

    /**
     * An estimate of the manifest log's bytes that no current version uses: versions superseded by a newer one or
     * received after it, dropped names' records and records that no longer decode, counted as they become so (and by
     * recovery), less what compactions reclaimed. Whoever compacts decides by it when a compaction is worth it.
     *
     * @return garbage bytes, never negative.
     */
    public synchronized long garbageBytes()
    {
        return garbageBytes;
    }

    /**
     * @return bytes of the segment files' records, current or not (the log's size on disk, less unused room).
     */
    public long usedBytes()
    {
        return log.usedBytes();
    }

    @Override
    public void close()
    {
        log.close();
    }

    /**
     * @param name a file name.
     * @return the record key for it: SHA-256 of its UTF-8 bytes (also its ring position, later).
     */
    public static byte[] nameKey(final String name)
    {
        return Sha256.digest(name.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized boolean isCurrent(final long location, final DirectBuffer buffer, final int offset)
    {
        return nameByLocation.containsKey(location);
    }

    private Manifest decodeAt(final long location) throws IOException
    {
        final DirectBuffer buffer = log.buffer(location);
        final int offset = SegmentLog.offset(location);
        if (!RecordDescriptor.isValidHeader(buffer, offset, buffer.capacity()) ||
            !RecordDescriptor.isValidPayload(buffer, offset))
        {
            throw new CorruptManifestException("manifest record at " + Long.toHexString(location) +
                " fails its checksum");
        }
        return ManifestCodec.decode(buffer, offset + HEADER_LENGTH, buffer.getInt(offset + STORED_LENGTH_OFFSET));
    }

    private boolean offer(final FileStat stat, final long location, final int recordLength)
    {
        final Entry existing = current.get(stat.name());
        if (existing != null && !stat.version().isNewerThan(existing.stat().version()))
        {
            garbageBytes += recordLength;
            return false;
        }
        if (existing != null)
        {
            garbageBytes += existing.recordLength();
            nameByLocation.remove(existing.location());
        }
        current.put(stat.name(), new Entry(stat, location, recordLength));
        nameByLocation.put(location, stat.name());
        indexListener.onNewestChanged(existing == null ? null : existing.stat(), stat);
        return true;
    }

    private static Version versionAt(final ManifestDecoder decoder, final DirectBuffer buffer, final int offset)
    {
        try
        {
            return decoder.wrap(buffer, offset + HEADER_LENGTH, buffer.getInt(offset + STORED_LENGTH_OFFSET)).version();
        }
        catch (final CorruptManifestException ex)
        {
            // A record that no longer decodes was never indexed; dropping it with its name costs nothing.
            return new Version(Long.MIN_VALUE, Integer.MIN_VALUE);
        }
    }

    private void onRecovered(final long location, final DirectBuffer buffer, final int offset)
    {
        if (buffer.getByte(offset + TYPE_OFFSET) != TYPE_MANIFEST)
        {
            return;
        }
        if ((buffer.getShort(offset + FLAGS_OFFSET) & FLAG_DROPPED) != 0)
        {
            garbageBytes += recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
            return;
        }
        try
        {
            // Only the stat is kept in memory: read it in place rather than materialising the chunk list.
            recoveryDecoder.wrap(buffer, offset + HEADER_LENGTH, buffer.getInt(offset + STORED_LENGTH_OFFSET));
            recoveryDecoder.getSha256(recoverySha256, 0);
            final Version version = recoveryDecoder.version();
            clock.observe(version.timestamp());
            offer(new FileStat(recoveryDecoder.name(), recoveryDecoder.size(), Manifest.sha256Hex(recoverySha256),
                recoveryDecoder.chunkCount(), version, recoveryDecoder.isTombstone()), location,
                recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET)));
        }
        catch (final CorruptManifestException ex)
        {
            corruptRecords++;
            garbageBytes += recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
        }
    }
}
