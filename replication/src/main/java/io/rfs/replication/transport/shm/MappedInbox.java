package io.rfs.replication.transport.shm;

import io.rfs.store.log.Mappings;
import net.openhft.chronicle.bytes.MappedBytes;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.nio.file.Path;

import static io.rfs.replication.transport.shm.InboxFileDescriptor.*;

/**
 * One inbox file mapped into this process, through chronicle-bytes, viewed as an Agrona header buffer and ring
 * buffer over the same memory.
 */
final class MappedInbox implements AutoCloseable
{
    private final MappedBytes mappedBytes;
    private final UnsafeBuffer header;
    private final RingBuffer ring;

    private MappedInbox(final MappedBytes mappedBytes, final UnsafeBuffer header, final int ringCapacity)
    {
        this.mappedBytes = mappedBytes;
        this.header = header;
        this.ring = ringCapacity > 0 ? new ManyToOneRingBuffer(new UnsafeBuffer(
            header.addressOffset() + HEADER_LENGTH, (int)(fileLength(ringCapacity) - HEADER_LENGTH))) : null;
    }

    /**
     * Maps a file of a known length.
     *
     * @param path       the file.
     * @param fileLength its length; a shorter file would be extended, so callers check it first.
     * @param ringCapacity the ring's capacity, or 0 to map the header only for a look.
     * @return the mapping.
     * @throws IOException if it cannot be mapped.
     */
    static MappedInbox map(final Path path, final long fileLength, final int ringCapacity) throws IOException
    {
        final MappedBytes bytes = MappedBytes.singleMappedBytes(path.toFile(), fileLength, false);
        bytes.singleThreadedCheckDisabled(true);
        final UnsafeBuffer header = new UnsafeBuffer(bytes.addressForWrite(0), HEADER_LENGTH);
        return new MappedInbox(bytes, header, ringCapacity);
    }

    UnsafeBuffer header()
    {
        return header;
    }

    RingBuffer ring()
    {
        return ring;
    }

    boolean isOpen()
    {
        return header.getIntVolatile(STATE_OFFSET) == STATE_OPEN;
    }

    void markClosed()
    {
        header.putIntVolatile(STATE_OFFSET, STATE_CLOSED);
    }

    @Override
    public void close()
    {
        Mappings.unmap(mappedBytes);
    }
}
