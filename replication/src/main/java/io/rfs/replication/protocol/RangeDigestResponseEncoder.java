package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeDigestResponseDescriptor.*;

/**
 * Writes a {@code RangeDigestResponse} body; see {@link RangeDigestResponseDescriptor}. Wrap, set the fields, add
 * the digests in range order.
 */
public final class RangeDigestResponseEncoder extends MessageEncoder
{
    private int count;

    public RangeDigestResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        return this;
    }

    public RangeDigestResponseEncoder ringFingerprint(final long fingerprint)
    {
        buffer.putLong(offset + RING_FINGERPRINT_OFFSET, fingerprint, BYTE_ORDER);
        return this;
    }

    public RangeDigestResponseEncoder firstRange(final int firstRange)
    {
        buffer.putInt(offset + FIRST_RANGE_OFFSET, firstRange, BYTE_ORDER);
        return this;
    }

    public RangeDigestResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    /**
     * @param manifests true if the digests are of manifests.
     * @return this.
     */
    public RangeDigestResponseEncoder manifests(final boolean manifests)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(manifests ? FLAG_MANIFESTS : 0));
        return this;
    }

    public RangeDigestResponseEncoder addDigest(
        final long lane0, final long lane1, final long held, final int quarantined)
    {
        if (count == MAX_COUNT)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_COUNT");
        }
        final int at = offset + RangeDigestResponseDescriptor.encodedLength(count);
        checkRoom(buffer, at, DIGEST_LENGTH);
        buffer.putLong(at + LANE0_OFFSET, lane0, BYTE_ORDER);
        buffer.putLong(at + LANE1_OFFSET, lane1, BYTE_ORDER);
        buffer.putLong(at + HELD_OFFSET, held, BYTE_ORDER);
        buffer.putInt(at + QUARANTINED_OFFSET, quarantined, BYTE_ORDER);
        buffer.putInt(at + QUARANTINED_OFFSET + 4, 0, BYTE_ORDER);
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_DIGEST_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return RangeDigestResponseDescriptor.encodedLength(count);
    }
}
