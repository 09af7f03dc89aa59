package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ErrorDescriptor.*;

/**
 * Reads an {@code Error} body; see {@link ErrorDescriptor} and {@link MessageDecoder}.
 */
public final class ErrorDecoder extends MessageDecoder
{
    /**
     * Checks: the text length is at most {@link ErrorDescriptor#MAX_TEXT_LENGTH} and lies within the body.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public ErrorDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int textLength = textLength();
        BodyDescriptor.checkRange(messageName(), "textLength", textLength, 0, MAX_TEXT_LENGTH);
        BodyDescriptor.checkFits(messageName(), "text", BLOCK_LENGTH, textLength, length);
        return this;
    }

    /**
     * @return the code as sent, possibly one this version does not know.
     */
    public int rawCode()
    {
        return buffer.getInt(offset + CODE_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the code, {@link ErrorCode#INTERNAL} for a code this version does not know.
     */
    public ErrorCode code()
    {
        final ErrorCode code = ErrorCode.get(rawCode());
        return code == null ? ErrorCode.INTERNAL : code;
    }

    public int relatedType()
    {
        return buffer.getShort(offset + RELATED_TYPE_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int textLength()
    {
        return buffer.getShort(offset + TEXT_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @return where the text lies in {@link #buffer()}.
     */
    public int textOffset()
    {
        return offset + BLOCK_LENGTH;
    }

    /**
     * @return the text as a new string, malformed UTF-8 replaced.
     */
    public String text()
    {
        final byte[] bytes = new byte[textLength()];
        buffer.getBytes(textOffset(), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.ERROR;
    }
}
