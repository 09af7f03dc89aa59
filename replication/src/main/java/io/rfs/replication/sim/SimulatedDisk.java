package io.rfs.replication.sim;

import io.rfs.store.log.Disk;
import io.rfs.store.log.RecordDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One simulated node's disk: the store's real files (on tmpfs when there is one), with no real {@code fdatasync}
 * or {@code fallocate} (they cost most of a run's time and change nothing on tmpfs), a record of how far each
 * segment file was forced, and the faults of a disk:
 * <ul>
 *     <li>a force that fails ({@link #forceFailureProbability});</li>
 *     <li>on a crash ({@link #tearUnforced}), the bytes written after a file's last force are kept, lost or torn
 *     at a random point, as a power cut leaves them;</li>
 *     <li>a flipped bit in a stored chunk's payload ({@link #rotChunk}).</li>
 * </ul>
 * The forced extent of a segment file is found by walking its records from the previous extent: segments are
 * append-only with 8-aligned, self-describing records, so the walk reads one header per new record (through a
 * window of 64 KiB, a read per window).
 * {@link #lyingForces} is the test-only broken rule "acknowledge before the data is durable": forces return at once
 * and record nothing, so a crash may take acknowledged writes with it. Files other than segments (the cluster log,
 * the vote file) are treated as always durable. Single-threaded, as the simulation.
 */
final class SimulatedDisk extends Disk
{
    private static final String SEGMENT_SUFFIX = ".seg";
    private static final String FORCE_FAILURE_MESSAGE = "simulated force failure on ";

    private final SplittableRandom random;
    private final EventLog events;
    private final int nodeId;
    private final TreeMap<Path, Long> forcedExtents = new TreeMap<>();
    private static final int WINDOW_LENGTH = 64 * 1024;

    private final ByteBuffer window = ByteBuffer.allocate(WINDOW_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart = -1;
    private long windowEnd;
    private int headerAt;
    private double forceFailureProbability;
    private boolean lyingForces;
    private boolean crashing;
    private boolean opening;
    private long forces;
    private long failedForces;

    SimulatedDisk(final int nodeId, final SplittableRandom random, final EventLog events)
    {
        this.nodeId = nodeId;
        this.random = random;
        this.events = events;
    }

    void forceFailureProbability(final double probability)
    {
        this.forceFailureProbability = probability;
    }

    void lyingForces(final boolean lying)
    {
        this.lyingForces = lying;
    }

    long failedForces()
    {
        return failedForces;
    }

    long forces()
    {
        return forces;
    }

    /**
     * @param opening true while a store opens: its recovery's forces do not fail (a node that cannot start is not
     *                what the simulation looks at).
     */
    void opening(final boolean opening)
    {
        this.opening = opening;
    }

    /**
     * Marks the start of a crash: the forces a closing store makes from now on are not durable.
     */
    void crashing()
    {
        crashing = true;
    }

    @Override
    public void reserve(final Path file, final long offset, final long length)
    {
        forcedExtents.putIfAbsent(file, 0L);
    }

    @Override
    public long dataEnd(final Path file) throws IOException
    {
        final long end = super.dataEnd(file);
        if (isSegment(file))
        {
            // recovery reads up to here: what a restarted store holds is durable
            forcedExtents.put(file, walk(file, 0));
        }
        return end;
    }

    @Override
    public void force(final Path file, final FileChannel channel) throws IOException
    {
        if (crashing || lyingForces)
        {
            return;
        }
        forces++;
        if (forceFailureProbability > 0 && !opening && random.nextDouble() < forceFailureProbability)
        {
            failedForces++;
            events.record("node " + nodeId + " force failed: " + file.getFileName());
            throw new IOException(FORCE_FAILURE_MESSAGE + file);
        }
        if (isSegment(file))
        {
            // the store's own channel: positional reads leave its position alone
            forcedExtents.put(file, walk(channel, forcedExtents.getOrDefault(file, 0L)));
        }
    }

    @Override
    public void forceDirectory(final Path directory)
    {
    }

    /**
     * After the crashed store closed: for every segment file with bytes past its forced extent, keeps them, loses
     * them or tears them, at random.
     *
     * @return bytes lost.
     */
    long tearUnforced() throws IOException
    {
        long lost = 0;
        for (final var entry : forcedExtents.entrySet())
        {
            final Path file = entry.getKey();
            if (!Files.exists(file))
            {
                continue;
            }
            final long forced = entry.getValue();
            final long written = walk(file, forced);
            if (written <= forced)
            {
                continue;
            }
            final double outcome = random.nextDouble();
            final long cut;
            if (outcome < 0.3)
            {
                continue;
            }
            else if (outcome < 0.65)
            {
                cut = forced;
            }
            else
            {
                cut = forced + random.nextLong(written - forced);
            }
            zero(file, cut, written);
            lost += written - cut;
            events.record("node " + nodeId + " crash tore " + file.getParent().getFileName() + "/" +
                file.getFileName() + " at " + cut + " (forced " + forced + ", written " + written + ")");
        }
        forcedExtents.clear();
        crashing = false;
        return lost;
    }

    /**
     * Flips one bit of one stored chunk's payload in one of the segment files under a directory.
     *
     * @return true if a chunk was found to rot.
     */
    boolean rotChunk(final Path chunksDirectory) throws IOException
    {
        final List<Path> segments = new ArrayList<>();
        try (var files = Files.list(chunksDirectory))
        {
            files.filter(SimulatedDisk::isSegment).sorted().forEach(segments::add);
        }
        if (segments.isEmpty())
        {
            return false;
        }
        // mostly the newest segment: the chunks of recent versions are the ones reads fetch
        final Path file = random.nextDouble() < 0.7 ? segments.get(segments.size() - 1) :
            segments.get(random.nextInt(segments.size()));
        final List<long[]> payloads = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            windowStart = -1;
            long offset = 0;
            while (readHeader(channel, offset, size))
            {
                final int storedLength = window.getInt(headerAt + RecordDescriptor.STORED_LENGTH_OFFSET);
                if (window.get(headerAt + RecordDescriptor.TYPE_OFFSET) == RecordDescriptor.TYPE_CHUNK &&
                    storedLength > 0)
                {
                    payloads.add(new long[]{ offset + RecordDescriptor.HEADER_LENGTH, storedLength });
                }
                offset += RecordDescriptor.recordLength(storedLength);
            }
        }
        if (payloads.isEmpty())
        {
            return false;
        }
        final int recent = Math.min(payloads.size(), 8);
        final long[] payload = payloads.get(payloads.size() - 1 - random.nextInt(recent));
        final long position = payload[0] + random.nextLong(payload[1]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte)(one.get(0) ^ (1 << random.nextInt(8))));
            one.rewind();
            channel.write(one, position);
        }
        events.record("node " + nodeId + " rot " + file.getFileName() + " byte " + position);
        return true;
    }

    private long walk(final Path file, final long from) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            return walk(channel, from);
        }
    }

    /**
     * Reads the headers from {@code from} on through a window of {@value #WINDOW_LENGTH} bytes, so that a force
     * costs a read per window rather than two system calls per record.
     *
     * @return the end of the last whole record, or just past a seal.
     */
    private long walk(final FileChannel channel, final long from) throws IOException
    {
        final long size = channel.size();
        windowStart = -1;
        long offset = from;
        while (readHeader(channel, offset, size))
        {
            if (window.get(headerAt + RecordDescriptor.TYPE_OFFSET) == RecordDescriptor.TYPE_SEAL)
            {
                return offset + RecordDescriptor.HEADER_LENGTH;
            }
            offset += RecordDescriptor.recordLength(window.getInt(headerAt + RecordDescriptor.STORED_LENGTH_OFFSET));
        }
        return offset;
    }

    /**
     * Brings the header at an offset into the window ({@link #headerAt} is then its index there).
     *
     * @return whether a whole, plausible record starts there.
     */
    private boolean readHeader(final FileChannel channel, final long offset, final long size) throws IOException
    {
        if (offset + RecordDescriptor.HEADER_LENGTH > size)
        {
            return false;
        }
        if (windowStart < 0 || offset < windowStart || offset + RecordDescriptor.HEADER_LENGTH > windowEnd)
        {
            window.clear();
            window.limit((int)Math.min(WINDOW_LENGTH, size - offset));
            while (window.hasRemaining())
            {
                if (channel.read(window, offset + window.position()) < 0)
                {
                    return false;
                }
            }
            windowStart = offset;
            windowEnd = offset + window.limit();
        }
        headerAt = (int)(offset - windowStart);
        final int storedLength = window.getInt(headerAt + RecordDescriptor.STORED_LENGTH_OFFSET);
        return window.getInt(headerAt + RecordDescriptor.MAGIC_OFFSET) == RecordDescriptor.MAGIC &&
            storedLength >= 0 && storedLength <= RecordDescriptor.MAX_PAYLOAD_LENGTH &&
            offset + RecordDescriptor.recordLength(storedLength) <= size;
    }

    private static void zero(final Path file, final long from, final long to) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer zeros = ByteBuffer.allocate((int)Math.min(64 * 1024, to - from));
            long position = from;
            while (position < to)
            {
                zeros.clear().limit((int)Math.min(zeros.capacity(), to - position));
                position += channel.write(zeros, position);
            }
        }
    }

    /**
     * @return true if the failure was caused by a force this disk failed on purpose.
     */
    static boolean isForceFailure(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause.getMessage() != null && cause.getMessage().startsWith(FORCE_FAILURE_MESSAGE))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isSegment(final Path file)
    {
        return file.getFileName().toString().endsWith(SEGMENT_SUFFIX);
    }
}
