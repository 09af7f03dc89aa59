package io.rfs.store.log;

import net.openhft.chronicle.bytes.MappedBytes;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One segment file, mapped whole through chronicle-bytes and viewed through an Agrona {@link UnsafeBuffer}.
 * <p>
 * The file's length is its capacity from the start (a sparse file); blocks are reserved through {@link Disk}
 * shortly ahead of the write position. Records are written only by the owning {@link SegmentLog} under its append
 * lock; readers read records that were published to them after they were written.
 */
final class Segment implements AutoCloseable
{
    private final int id;
    private final Path path;
    private final MappedBytes mappedBytes;
    private final UnsafeBuffer buffer;
    private final FileChannel channel;
    private final int capacity;
    private int writePosition;
    private long reservedUpTo;
    private boolean sealed;

    private Segment(final int id, final Path path, final MappedBytes mappedBytes, final int capacity)
    {
        this.id = id;
        this.path = path;
        this.mappedBytes = mappedBytes;
        this.capacity = capacity;
        this.buffer = new UnsafeBuffer(mappedBytes.addressForWrite(0), capacity);
        this.channel = mappedBytes.mappedFile().raf().getChannel();
    }

    /**
     * Maps a segment file, creating it with {@code capacity} bytes if it does not exist.
     *
     * @param id       segment id.
     * @param path     its file.
     * @param capacity length of a new file; an existing file keeps its own length.
     * @return the mapped segment, write position 0.
     * @throws IOException if the file cannot be mapped.
     */
    static Segment map(final int id, final Path path, final int capacity) throws IOException
    {
        final long existing = path.toFile().length();
        final int length = existing > 0 ? (int)Math.min(existing, Integer.MAX_VALUE - 4096) : capacity;
        final MappedBytes bytes = MappedBytes.singleMappedBytes(path.toFile(), length, false);
        bytes.singleThreadedCheckDisabled(true);
        return new Segment(id, path, bytes, length);
    }

    int id()
    {
        return id;
    }

    Path path()
    {
        return path;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    FileChannel channel()
    {
        return channel;
    }

    int capacity()
    {
        return capacity;
    }

    int writePosition()
    {
        return writePosition;
    }

    void writePosition(final int position)
    {
        writePosition = position;
    }

    long reservedUpTo()
    {
        return reservedUpTo;
    }

    void reservedUpTo(final long position)
    {
        reservedUpTo = position;
    }

    boolean isSealed()
    {
        return sealed;
    }

    void seal()
    {
        sealed = true;
    }

    @Override
    public void close()
    {
        Mappings.unmap(mappedBytes);
    }
}
