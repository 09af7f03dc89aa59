package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeDigestRequestDescriptor.*;

/**
 * Reads a {@code RangeDigestRequest} body; see {@link RangeDigestRequestDescriptor} and {@link MessageDecoder}.
 */
public final class RangeDigestRequestDecoder extends MessageDecoder
{
    /**
     * Checks: first range not negative, count 1 to {@link RangeDigestRequestDescriptor#MAX_COUNT}, no unknown flag
     * (a body without flags, of the first revision, asks for chunk digests).
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RangeDigestRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, MIN_BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "firstRange", firstRange(), 0, Integer.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "count", count(), 1, MAX_COUNT);
        BodyDescriptor.checkFlags(messageName(), "flags", flags(), KNOWN_FLAGS);
        return this;
    }

    /**
     * @return true if the digests of the manifests held are asked for, false for those of the chunks.
     */
    public boolean manifests()
    {
        return (flags() & FLAG_MANIFESTS) != 0;
    }

    private int flags()
    {
        return length < BLOCK_LENGTH ? 0 : buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    public long ringFingerprint()
    {
        return buffer.getLong(offset + RING_FINGERPRINT_OFFSET, BYTE_ORDER);
    }

    public int firstRange()
    {
        return buffer.getInt(offset + FIRST_RANGE_OFFSET, BYTE_ORDER);
    }

    public int count()
    {
        return buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_DIGEST_REQUEST;
    }
}
