package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

/**
 * Base of the body decoders: a reusable flyweight that checks a body received from the network and then reads
 * its fields in place, allocating nothing.
 * <p>
 * {@code wrap} checks every length, count and flag against its limit and against the body length before it
 * returns, so the accessors afterwards read only within the body. A body that fails is reported with a
 * {@link MalformedMessageException} and nothing else, whatever its bytes; after a failed wrap the decoder must not
 * be read until it is wrapped again. Accessors read the buffer on every call, so the caller must not change the
 * bytes while it reads them (a transport's buffer is valid only during the handler call). Not thread safe; keep
 * one per thread.
 */
public abstract class MessageDecoder
{
    protected DirectBuffer buffer;
    protected int offset;
    protected int length;

    /**
     * Checks the caller's range and the fixed block, then points this decoder at the body.
     *
     * @param buffer      holds the body.
     * @param offset      where the body starts.
     * @param length      body length, from the frame.
     * @param blockLength the layout's fixed block.
     * @throws MalformedMessageException if the body is shorter than the fixed block.
     * @throws IllegalArgumentException  if the range does not lie within {@code buffer}.
     */
    protected final void wrapBlock(final DirectBuffer buffer, final int offset, final int length, final int blockLength)
        throws MalformedMessageException
    {
        BodyDescriptor.checkBounds(buffer, offset, length);
        BodyDescriptor.checkBlock(messageName(), length, blockLength);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /**
     * @return the message type's name, for errors.
     */
    protected final String messageName()
    {
        return MessageTypes.name(messageType());
    }

    /**
     * @return the message type id this decoder reads.
     */
    public abstract int messageType();

    /**
     * @return the wrapped buffer.
     */
    public DirectBuffer buffer()
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

    /**
     * @return the body length given to {@code wrap}.
     */
    public int length()
    {
        return length;
    }
}
