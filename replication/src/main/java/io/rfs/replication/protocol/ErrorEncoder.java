package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ErrorDescriptor.*;

/**
 * Writes an {@code Error} body; see {@link ErrorDescriptor}. Set the text last.
 */
public final class ErrorEncoder extends MessageEncoder
{
    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, with no text.
     */
    public ErrorEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public ErrorEncoder code(final ErrorCode code)
    {
        buffer.putInt(offset + CODE_OFFSET, code.code(), BYTE_ORDER);
        return this;
    }

    /**
     * @param type type id of the message that caused the error, 0 if none.
     * @return this.
     */
    public ErrorEncoder relatedType(final int type)
    {
        buffer.putShort(offset + RELATED_TYPE_OFFSET, (short)type, BYTE_ORDER);
        return this;
    }

    /**
     * Copies UTF-8 text, allocation-free.
     *
     * @param src       holds the text.
     * @param srcOffset where it starts.
     * @param length    its length, at most {@link ErrorDescriptor#MAX_TEXT_LENGTH}.
     * @return this.
     */
    public ErrorEncoder text(final DirectBuffer src, final int srcOffset, final int length)
    {
        checkLength(length);
        checkRoom(buffer, offset + BLOCK_LENGTH, length);
        buffer.putShort(offset + TEXT_LENGTH_OFFSET, (short)length, BYTE_ORDER);
        buffer.putBytes(offset + BLOCK_LENGTH, src, srcOffset, length);
        return this;
    }

    /**
     * Writes text, cut to {@link ErrorDescriptor#MAX_TEXT_LENGTH} bytes at a character boundary. Allocates; for error
     * paths, not hot ones.
     *
     * @param text the text.
     * @return this.
     */
    public ErrorEncoder text(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, MAX_TEXT_LENGTH);
        while (length < bytes.length && length > 0 && (bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }
        checkRoom(buffer, offset + BLOCK_LENGTH, length);
        buffer.putShort(offset + TEXT_LENGTH_OFFSET, (short)length, BYTE_ORDER);
        buffer.putBytes(offset + BLOCK_LENGTH, bytes, 0, length);
        return this;
    }

    private static void checkLength(final int length)
    {
        if (length < 0 || length > MAX_TEXT_LENGTH)
        {
            throw new IllegalArgumentException("textLength=" + length + " is outside 0.." + MAX_TEXT_LENGTH);
        }
    }

    @Override
    public int messageType()
    {
        return MessageTypes.ERROR;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + (buffer.getShort(offset + TEXT_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF);
    }
}
