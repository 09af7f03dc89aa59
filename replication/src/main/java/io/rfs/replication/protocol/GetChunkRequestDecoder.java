package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.GetChunkRequestDescriptor.*;

/**
 * Reads a {@code GetChunkRequest} body; see {@link GetChunkRequestDescriptor} and {@link MessageDecoder}.
 */
public final class GetChunkRequestDecoder extends MessageDecoder
{
    /**
     * Checks: no unknown flag.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public GetChunkRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkFlags(messageName(), "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        return this;
    }

    public int chunkIdOffset()
    {
        return offset + CHUNK_ID_OFFSET;
    }

    public ChunkId chunkId()
    {
        return ChunkId.read(buffer, chunkIdOffset());
    }

    public boolean acceptsCompressed()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_ACCEPT_COMPRESSED) != 0;
    }

    public boolean verify()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_VERIFY) != 0;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.GET_CHUNK_REQUEST;
    }
}
