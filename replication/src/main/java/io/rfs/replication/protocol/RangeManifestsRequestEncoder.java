package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeManifestsRequestDescriptor.*;

/**
 * Writes a {@code RangeManifestsRequest} body; see {@link RangeManifestsRequestDescriptor}.
 */
public final class RangeManifestsRequestEncoder extends MessageEncoder
{
    private int afterLength;

    public RangeManifestsRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        afterLength = 0;
        return this;
    }

    public RangeManifestsRequestEncoder ringFingerprint(final long fingerprint)
    {
        buffer.putLong(offset + RING_FINGERPRINT_OFFSET, fingerprint, BYTE_ORDER);
        return this;
    }

    public RangeManifestsRequestEncoder range(final int range)
    {
        buffer.putInt(offset + RANGE_OFFSET, range, BYTE_ORDER);
        return this;
    }

    public RangeManifestsRequestEncoder maxEntries(final int maxEntries)
    {
        buffer.putInt(offset + MAX_ENTRIES_OFFSET, maxEntries, BYTE_ORDER);
        return this;
    }

    /**
     * @param name the last name of the previous page, or null to start at the range's first name.
     * @return this.
     */
    public RangeManifestsRequestEncoder after(final String name)
    {
        final byte[] bytes = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException("afterLength=" + bytes.length + " is over " + MAX_NAME_BYTES);
        }
        checkRoom(buffer, offset + AFTER_OFFSET, bytes.length);
        buffer.putShort(offset + AFTER_LENGTH_OFFSET, (short)bytes.length, BYTE_ORDER);
        buffer.putBytes(offset + AFTER_OFFSET, bytes);
        afterLength = bytes.length;
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_MANIFESTS_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + afterLength;
    }
}
