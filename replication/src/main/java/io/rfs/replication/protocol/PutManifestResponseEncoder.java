package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.PutManifestResponseDescriptor.*;

/**
 * Writes a {@code PutManifestResponse} body; see {@link PutManifestResponseDescriptor}.
 */
public final class PutManifestResponseEncoder extends MessageEncoder
{
    public PutManifestResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public PutManifestResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    /**
     * @param timestamp the current version's hybrid logical clock timestamp.
     * @param nodeId    the current version's writer.
     * @return this.
     */
    public PutManifestResponseEncoder currentVersion(final long timestamp, final int nodeId)
    {
        buffer.putLong(offset + VERSION_TIMESTAMP_OFFSET, timestamp, BYTE_ORDER);
        buffer.putInt(offset + VERSION_NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        return this;
    }

    /**
     * @param recorded true to answer a hinted write whose hint is on disk.
     * @return this.
     */
    public PutManifestResponseEncoder hintRecorded(final boolean recorded)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(recorded ? FLAG_HINT_RECORDED : 0));
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.PUT_MANIFEST_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
