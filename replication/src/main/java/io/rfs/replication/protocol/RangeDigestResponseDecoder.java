package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeDigestResponseDescriptor.*;

/**
 * Reads a {@code RangeDigestResponse} body; see {@link RangeDigestResponseDescriptor} and {@link MessageDecoder}.
 */
public final class RangeDigestResponseDecoder extends MessageDecoder
{
    private int count;
    private Status status;

    /**
     * Checks: a known status, count 0 to {@link RangeDigestResponseDescriptor#MAX_COUNT} (0 unless {@code OK}),
     * digests within the body, held and quarantined counts not negative.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RangeDigestResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int code = buffer.getByte(offset + STATUS_OFFSET) & 0xFF;
        BodyDescriptor.checkRange(messageName(), "status", code, 0, Status.maxCode());
        status = Status.get(code);
        BodyDescriptor.checkFlags(messageName(), "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(messageName(), "count", claimed, 0, status == Status.OK ? MAX_COUNT : 0);
        BodyDescriptor.checkFits(messageName(), "digests", DIGESTS_OFFSET, (long)claimed * DIGEST_LENGTH, length);
        count = claimed;
        for (int i = 0; i < claimed; i++)
        {
            BodyDescriptor.checkRange(messageName(), "held", held(i), 0, Long.MAX_VALUE);
            BodyDescriptor.checkRange(messageName(), "quarantined", quarantined(i), 0, Integer.MAX_VALUE);
        }
        return this;
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
        return count;
    }

    public Status status()
    {
        return status;
    }

    /**
     * @return true if the digests are of manifests, false if of chunks.
     */
    public boolean manifests()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_MANIFESTS) != 0;
    }

    public long lane0(final int index)
    {
        return buffer.getLong(digestOffset(index) + LANE0_OFFSET, BYTE_ORDER);
    }

    public long lane1(final int index)
    {
        return buffer.getLong(digestOffset(index) + LANE1_OFFSET, BYTE_ORDER);
    }

    public long held(final int index)
    {
        return buffer.getLong(digestOffset(index) + HELD_OFFSET, BYTE_ORDER);
    }

    public int quarantined(final int index)
    {
        return buffer.getInt(digestOffset(index) + QUARANTINED_OFFSET, BYTE_ORDER);
    }

    private int digestOffset(final int index)
    {
        Objects.checkIndex(index, count);
        return offset + RangeDigestResponseDescriptor.encodedLength(index);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_DIGEST_RESPONSE;
    }
}
