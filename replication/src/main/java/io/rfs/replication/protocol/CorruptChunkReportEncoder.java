package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.CorruptChunkReportDescriptor.*;

/**
 * Writes a {@code CorruptChunkReport} body; see {@link CorruptChunkReportDescriptor}.
 */
public final class CorruptChunkReportEncoder extends MessageEncoder
{
    public CorruptChunkReportEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public CorruptChunkReportEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public CorruptChunkReportEncoder chunkId(final ChunkId chunkId)
    {
        chunkId.write(buffer, offset + CHUNK_ID_OFFSET);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.CORRUPT_CHUNK_REPORT;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
