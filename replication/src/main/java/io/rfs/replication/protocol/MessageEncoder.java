package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * Base of the body encoders: a reusable flyweight that writes one body in place, at fixed offsets, allocating
 * nothing. Wrap it over a buffer, set the fields, then offer {@code buffer()}, {@code offset()} and
 * {@link #encodedLength()} to a transport. Not thread safe; keep one per thread.
 */
public abstract class MessageEncoder
{
    protected MutableDirectBuffer buffer;
    protected int offset;

    /**
     * Points this encoder at a buffer and zeroes the fixed block, so reserved bytes go out as zero.
     *
     * @param buffer      destination.
     * @param offset      where the body starts.
     * @param blockLength the layout's fixed block.
     * @throws IllegalArgumentException if the fixed block does not fit a non-expandable buffer.
     */
    protected final void wrapBlock(final MutableDirectBuffer buffer, final int offset, final int blockLength)
    {
        checkRoom(buffer, offset, blockLength);
        this.buffer = buffer;
        this.offset = offset;
        buffer.setMemory(offset, blockLength, (byte)0);
    }

    /**
     * @param buffer destination.
     * @param start  where a write starts.
     * @param length its length.
     * @throws IllegalArgumentException if it does not fit a non-expandable buffer.
     */
    protected static void checkRoom(final MutableDirectBuffer buffer, final int start, final long length)
    {
        if (start < 0 || (!buffer.isExpandable() && start + length > buffer.capacity()))
        {
            throw new IllegalArgumentException(
                "offset=" + start + " length=" + length + " does not fit capacity=" + buffer.capacity());
        }
    }

    /**
     * @return the message type id this encoder writes.
     */
    public abstract int messageType();

    /**
     * @return bytes of the body written so far: the fixed block and the variable parts set.
     */
    public abstract int encodedLength();

    /**
     * @return the buffer written to.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return where the body starts in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }
}
