package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeManifestsRequestDescriptor.*;

/**
 * Reads a {@code RangeManifestsRequest} body; see {@link RangeManifestsRequestDescriptor} and {@link MessageDecoder}.
 */
public final class RangeManifestsRequestDecoder extends MessageDecoder
{
    /**
     * Checks: range not negative, max entries 1 to {@link RangeManifestsRequestDescriptor#MAX_ENTRIES}, after length
     * 0 to 1024 and within the body, and a non-empty after name a valid file name.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RangeManifestsRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        BodyDescriptor.checkRange(name, "range", range(), 0, Integer.MAX_VALUE);
        BodyDescriptor.checkRange(name, "maxEntries", maxEntries(), 1, MAX_ENTRIES);
        final int afterLength = afterLength();
        BodyDescriptor.checkRange(name, "afterLength", afterLength, 0, MAX_NAME_BYTES);
        BodyDescriptor.checkFits(name, "after", AFTER_OFFSET, afterLength, length);
        if (afterLength > 0)
        {
            BodyDescriptor.checkName(name, "after", buffer, offset + AFTER_OFFSET, afterLength);
        }
        return this;
    }

    public long ringFingerprint()
    {
        return buffer.getLong(offset + RING_FINGERPRINT_OFFSET, BYTE_ORDER);
    }

    public int range()
    {
        return buffer.getInt(offset + RANGE_OFFSET, BYTE_ORDER);
    }

    public int maxEntries()
    {
        return buffer.getInt(offset + MAX_ENTRIES_OFFSET, BYTE_ORDER);
    }

    private int afterLength()
    {
        return buffer.getShort(offset + AFTER_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @return the name to resume after, or null to start at the range's first name.
     */
    public String after()
    {
        final int afterLength = afterLength();
        return afterLength == 0 ? null : buffer.getStringWithoutLengthUtf8(offset + AFTER_OFFSET, afterLength);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_MANIFESTS_REQUEST;
    }
}
