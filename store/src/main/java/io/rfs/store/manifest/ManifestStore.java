package io.rfs.store.manifest;

import io.rfs.store.FileStat;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.log.Disk;
import io.rfs.store.log.RecordDescriptor;
import io.rfs.store.log.RecoveryReport;
import io.rfs.store.log.SegmentLog;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    private static final HexFormat HEX = HexFormat.of();

    private final SegmentLog log;
    private final HybridLogicalClock clock;
    private final TreeMap<String, Entry> current = new TreeMap<>();
    private final Long2ObjectHashMap<String> nameByLocation = new Long2ObjectHashMap<>();
    private long corruptRecords;
    private final ManifestDecoder recoveryDecoder = new ManifestDecoder();
    private final byte[] recoverySha256 = new byte[32];

    private record Entry(FileStat stat, long location)
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
            return offer(manifest.toStat(), location);
        }
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
     * Rewrites the current versions held in sealed segments and drops superseded ones. The caller holds off all
     * other use of the store meanwhile.
     *
     * @param minGarbagePercent rewrite segments with at least this share of superseded bytes.
     * @return records copied.
     * @throws IOException if the rewrite fails; the store stays consistent.
     */
    public long compact(final int minGarbagePercent) throws IOException
    {
        final List<Integer> victims = log.selectForCompaction(this::isCurrent, minGarbagePercent);
        return log.rewrite(victims, this::isCurrent, (oldLocation, newLocation) ->
        {
            synchronized (this)
            {
                final String name = nameByLocation.remove(oldLocation);
                if (name != null)
                {
                    current.put(name, new Entry(current.get(name).stat(), newLocation));
                    nameByLocation.put(newLocation, name);
                }
            }
        });
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

    private boolean offer(final FileStat stat, final long location)
    {
        final Entry existing = current.get(stat.name());
        if (existing != null && !stat.version().isNewerThan(existing.stat().version()))
        {
            return false;
        }
        if (existing != null)
        {
            nameByLocation.remove(existing.location());
        }
        current.put(stat.name(), new Entry(stat, location));
        nameByLocation.put(location, stat.name());
        return true;
    }

    private void onRecovered(final long location, final DirectBuffer buffer, final int offset)
    {
        if (buffer.getByte(offset + TYPE_OFFSET) != TYPE_MANIFEST)
        {
            return;
        }
        try
        {
            // Only the stat is kept in memory: read it in place rather than materialising the chunk list.
            recoveryDecoder.wrap(buffer, offset + HEADER_LENGTH, buffer.getInt(offset + STORED_LENGTH_OFFSET));
            recoveryDecoder.getSha256(recoverySha256, 0);
            final Version version = recoveryDecoder.version();
            clock.observe(version.timestamp());
            offer(new FileStat(recoveryDecoder.name(), recoveryDecoder.size(), HEX.formatHex(recoverySha256),
                recoveryDecoder.chunkCount(), version, recoveryDecoder.isTombstone()), location);
        }
        catch (final CorruptManifestException ex)
        {
            corruptRecords++;
        }
    }
}
