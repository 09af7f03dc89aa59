package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeDigestRequestDescriptor.*;

/**
 * Writes a {@code RangeDigestRequest} body; see {@link RangeDigestRequestDescriptor}.
 */
public final class RangeDigestRequestEncoder extends MessageEncoder
{
    public RangeDigestRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public RangeDigestRequestEncoder ringFingerprint(final long fingerprint)
    {
        buffer.putLong(offset + RING_FINGERPRINT_OFFSET, fingerprint, BYTE_ORDER);
        return this;
    }

    public RangeDigestRequestEncoder ranges(final int firstRange, final int count)
    {
        buffer.putInt(offset + FIRST_RANGE_OFFSET, firstRange, BYTE_ORDER);
        buffer.putInt(offset + COUNT_OFFSET, count, BYTE_ORDER);
        return this;
    }

    /**
     * @param manifests true to ask for the digests of the manifests held, false (the default) for the chunks'.
     * @return this.
     */
    public RangeDigestRequestEncoder manifests(final boolean manifests)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(manifests ? FLAG_MANIFESTS : 0));
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_DIGEST_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
