package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.CorruptChunkReportDescriptor.*;

/**
 * Reads a {@code CorruptChunkReport} body; see {@link CorruptChunkReportDescriptor} and {@link MessageDecoder}.
 */
public final class CorruptChunkReportDecoder extends MessageDecoder
{
    /**
     * Checks: term not negative.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public CorruptChunkReportDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "term", term(), 0, Long.MAX_VALUE);
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public ChunkId chunkId()
    {
        return ChunkId.read(buffer, offset + CHUNK_ID_OFFSET);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.CORRUPT_CHUNK_REPORT;
    }
}
