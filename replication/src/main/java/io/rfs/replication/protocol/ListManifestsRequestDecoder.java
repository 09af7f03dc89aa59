package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ListManifestsRequestDescriptor.*;

/**
 * Reads a {@code ListManifestsRequest} body; see {@link ListManifestsRequestDescriptor} and {@link MessageDecoder}.
 */
public final class ListManifestsRequestDecoder extends MessageDecoder
{
    /**
     * Checks: max entries 1 to {@link ListManifestsRequestDescriptor#MAX_ENTRIES}, prefix and token lengths within
     * their limits and the body, no unknown flag.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public ListManifestsRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        BodyDescriptor.checkRange(name, "maxEntries", maxEntries(), 1, MAX_ENTRIES);
        BodyDescriptor.checkFlags(name, "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        BodyDescriptor.checkRange(name, "prefixLength", prefixLength(), 0, MAX_PREFIX_LENGTH);
        BodyDescriptor.checkRange(name, "pageTokenLength", pageTokenLength(), 0, MAX_PAGE_TOKEN_LENGTH);
        BodyDescriptor.checkFits(name, "prefixAndPageToken", PREFIX_OFFSET, prefixLength() + pageTokenLength(), length);
        return this;
    }

    public int maxEntries()
    {
        return buffer.getInt(offset + MAX_ENTRIES_OFFSET, BYTE_ORDER);
    }

    public boolean includeTombstones()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_INCLUDE_TOMBSTONES) != 0;
    }

    public int prefixLength()
    {
        return buffer.getShort(offset + PREFIX_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int prefixOffset()
    {
        return offset + PREFIX_OFFSET;
    }

    public int pageTokenLength()
    {
        return buffer.getShort(offset + PAGE_TOKEN_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int pageTokenOffset()
    {
        return offset + PREFIX_OFFSET + prefixLength();
    }

    @Override
    public int messageType()
    {
        return MessageTypes.LIST_MANIFESTS_REQUEST;
    }
}
