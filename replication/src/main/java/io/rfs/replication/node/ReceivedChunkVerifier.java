package io.rfs.replication.node;

import io.rfs.replication.protocol.PutChunkRequestDecoder;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;

/**
 * Checks a chunk received in a {@code PutChunkRequest} before it is stored (DESIGN.md principle 5): an LZ4 payload
 * must decompress to exactly the raw length it claims, and the raw bytes must hash to the chunk id. What passes is
 * left in {@link #payload()}, in the form it came in, ready for {@code ChunkStore.putStored}.
 * <p>
 * Reuses its arrays, growing them to the largest chunk seen. Not thread safe: the storage agent's own.
 */
final class ReceivedChunkVerifier
{
    private final ChunkCodec codec = new ChunkCodec();
    private byte[] payload = new byte[0];
    private byte[] raw = new byte[0];

    /**
     * @param request a wrapped request.
     * @param id      its chunk id.
     * @return null if the chunk is sound, else what is wrong with it.
     */
    String verify(final PutChunkRequestDecoder request, final ChunkId id)
    {
        final int payloadLength = request.payloadLength();
        final int rawLength = request.rawLength();
        if (payload.length < payloadLength)
        {
            payload = new byte[payloadLength];
        }
        request.buffer().getBytes(request.payloadOffset(), payload, 0, payloadLength);
        final byte[] hashed;
        if (request.isCompressed())
        {
            if (raw.length < rawLength)
            {
                raw = new byte[rawLength];
            }
            if (!codec.decompress(payload, payloadLength, raw, rawLength))
            {
                return "its LZ4 payload does not decompress to rawLength=" + rawLength + " bytes";
            }
            hashed = raw;
        }
        else
        {
            hashed = payload;
        }
        if (!codec.matches(id, hashed, rawLength))
        {
            return "its bytes do not hash to its id";
        }
        return null;
    }

    /**
     * @return the payload of the last chunk verified, as received.
     */
    byte[] payload()
    {
        return payload;
    }

    /**
     * @return the codec, for reads that must decompress a stored chunk.
     */
    ChunkCodec codec()
    {
        return codec;
    }
}
