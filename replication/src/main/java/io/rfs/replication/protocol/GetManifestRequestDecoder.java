package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.GetManifestRequestDescriptor.*;

/**
 * Reads a {@code GetManifestRequest} body; see {@link GetManifestRequestDescriptor} and {@link MessageDecoder}.
 */
public final class GetManifestRequestDecoder extends MessageDecoder
{
    /**
     * Checks: name length 1 to {@link GetManifestRequestDescriptor#MAX_NAME_LENGTH} within the body, and the file
     * name rules.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public GetManifestRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int nameLength = nameLength();
        BodyDescriptor.checkRange(messageName(), "nameLength", nameLength, 1, MAX_NAME_LENGTH);
        BodyDescriptor.checkFits(messageName(), "name", NAME_OFFSET, nameLength, length);
        BodyDescriptor.checkName(messageName(), "name", buffer, offset + NAME_OFFSET, nameLength);
        return this;
    }

    public int nameLength()
    {
        return buffer.getShort(offset + NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @return where the name's bytes lie in {@link #buffer()}.
     */
    public int nameOffset()
    {
        return offset + NAME_OFFSET;
    }

    /**
     * @return the name as a new string.
     */
    public String name()
    {
        return buffer.getStringWithoutLengthUtf8(nameOffset(), nameLength());
    }

    @Override
    public int messageType()
    {
        return MessageTypes.GET_MANIFEST_REQUEST;
    }
}
