package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.PutChunkResponseDescriptor.*;

/**
 * Reads a {@code PutChunkResponse} body; see {@link PutChunkResponseDescriptor} and {@link MessageDecoder}.
 */
public final class PutChunkResponseDecoder extends MessageDecoder
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
    public PutChunkResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
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

    public int chunkIdOffset()
    {
        return offset + CHUNK_ID_OFFSET;
    }

    public ChunkId chunkId()
    {
        return ChunkId.read(buffer, chunkIdOffset());
    }

    public Status status()
    {
        return Status.get(buffer.getByte(offset + STATUS_OFFSET) & 0xFF);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.PUT_CHUNK_RESPONSE;
    }
}
