package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.GetManifestRequestDescriptor.*;

/**
 * Writes a {@code GetManifestRequest} body; see {@link GetManifestRequestDescriptor}.
 */
public final class GetManifestRequestEncoder extends MessageEncoder
{
    public GetManifestRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    /**
     * Copies a name's UTF-8 bytes, allocation-free.
     *
     * @param src       holds the name.
     * @param srcOffset where it starts.
     * @param length    its length, 1 to {@link GetManifestRequestDescriptor#MAX_NAME_LENGTH}.
     * @return this.
     */
    public GetManifestRequestEncoder name(final DirectBuffer src, final int srcOffset, final int length)
    {
        checkNameLength(length);
        checkRoom(buffer, offset + NAME_OFFSET, length);
        buffer.putShort(offset + NAME_LENGTH_OFFSET, (short)length, BYTE_ORDER);
        buffer.putBytes(offset + NAME_OFFSET, src, srcOffset, length);
        return this;
    }

    /**
     * Writes a name; allocates its UTF-8 bytes.
     *
     * @param name the name.
     * @return this.
     */
    public GetManifestRequestEncoder name(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        checkNameLength(bytes.length);
        checkRoom(buffer, offset + NAME_OFFSET, bytes.length);
        buffer.putShort(offset + NAME_LENGTH_OFFSET, (short)bytes.length, BYTE_ORDER);
        buffer.putBytes(offset + NAME_OFFSET, bytes);
        return this;
    }

    private static void checkNameLength(final int length)
    {
        if (length < 1 || length > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("nameLength=" + length + " is outside 1.." + MAX_NAME_LENGTH);
        }
    }

    @Override
    public int messageType()
    {
        return MessageTypes.GET_MANIFEST_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + (buffer.getShort(offset + NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF);
    }
}
