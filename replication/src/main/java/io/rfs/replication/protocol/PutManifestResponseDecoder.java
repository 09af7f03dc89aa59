package io.rfs.replication.protocol;

import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.PutManifestResponseDescriptor.*;

/**
 * Reads a {@code PutManifestResponse} body; see {@link PutManifestResponseDescriptor} and {@link MessageDecoder}.
 */
public final class PutManifestResponseDecoder extends MessageDecoder
{
    /**
     * Checks: a known status and no unknown flag.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public PutManifestResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "status", buffer.getByte(offset + STATUS_OFFSET) & 0xFF, 0,
            Status.maxCode());
        BodyDescriptor.checkFlags(messageName(), "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        return this;
    }

    /**
     * @return true if the node recorded the hint of a hinted write: only then does the answer count towards a sloppy
     * quorum.
     */
    public boolean isHintRecorded()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_HINT_RECORDED) != 0;
    }

    public Status status()
    {
        return Status.get(buffer.getByte(offset + STATUS_OFFSET) & 0xFF);
    }

    public long currentVersionTimestamp()
    {
        return buffer.getLong(offset + VERSION_TIMESTAMP_OFFSET, BYTE_ORDER);
    }

    public int currentVersionNodeId()
    {
        return buffer.getInt(offset + VERSION_NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the current version as a new value.
     */
    public Version currentVersion()
    {
        return new Version(currentVersionTimestamp(), currentVersionNodeId());
    }

    @Override
    public int messageType()
    {
        return MessageTypes.PUT_MANIFEST_RESPONSE;
    }
}
