package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ListManifestsRequestDescriptor.*;

/**
 * Writes a {@code ListManifestsRequest} body; see {@link ListManifestsRequestDescriptor}. Set the prefix before the
 * page token.
 */
public final class ListManifestsRequestEncoder extends MessageEncoder
{
    public ListManifestsRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public ListManifestsRequestEncoder maxEntries(final int maxEntries)
    {
        if (maxEntries < 1 || maxEntries > MAX_ENTRIES)
        {
            throw new IllegalArgumentException("maxEntries=" + maxEntries + " is outside 1.." + MAX_ENTRIES);
        }
        buffer.putInt(offset + MAX_ENTRIES_OFFSET, maxEntries, BYTE_ORDER);
        return this;
    }

    public ListManifestsRequestEncoder includeTombstones(final boolean include)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(include ? FLAG_INCLUDE_TOMBSTONES : 0));
        return this;
    }

    /**
     * @param src       holds the prefix.
     * @param srcOffset where it starts.
     * @param length    0 to {@link ListManifestsRequestDescriptor#MAX_PREFIX_LENGTH}.
     * @return this, with no page token.
     */
    public ListManifestsRequestEncoder prefix(final DirectBuffer src, final int srcOffset, final int length)
    {
        if (length < 0 || length > MAX_PREFIX_LENGTH)
        {
            throw new IllegalArgumentException("prefixLength=" + length + " is outside 0.." + MAX_PREFIX_LENGTH);
        }
        checkRoom(buffer, offset + PREFIX_OFFSET, length);
        buffer.putShort(offset + PREFIX_LENGTH_OFFSET, (short)length, BYTE_ORDER);
        buffer.putShort(offset + PAGE_TOKEN_LENGTH_OFFSET, (short)0, BYTE_ORDER);
        buffer.putBytes(offset + PREFIX_OFFSET, src, srcOffset, length);
        return this;
    }

    /**
     * @param src       holds the token from the previous page.
     * @param srcOffset where it starts.
     * @param length    0 to {@link ListManifestsRequestDescriptor#MAX_PAGE_TOKEN_LENGTH}.
     * @return this.
     */
    public ListManifestsRequestEncoder pageToken(final DirectBuffer src, final int srcOffset, final int length)
    {
        if (length < 0 || length > MAX_PAGE_TOKEN_LENGTH)
        {
            throw new IllegalArgumentException(
                "pageTokenLength=" + length + " is outside 0.." + MAX_PAGE_TOKEN_LENGTH);
        }
        final int tokenOffset = offset + PREFIX_OFFSET + prefixLength();
        checkRoom(buffer, tokenOffset, length);
        buffer.putShort(offset + PAGE_TOKEN_LENGTH_OFFSET, (short)length, BYTE_ORDER);
        buffer.putBytes(tokenOffset, src, srcOffset, length);
        return this;
    }

    private int prefixLength()
    {
        return buffer.getShort(offset + PREFIX_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.LIST_MANIFESTS_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + prefixLength() + (buffer.getShort(offset + PAGE_TOKEN_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF);
    }
}
