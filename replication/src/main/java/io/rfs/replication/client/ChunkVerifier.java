package io.rfs.replication.client;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;

/**
 * Checks a fetched chunk before a byte of it reaches a caller (DESIGN.md principle 5): decompresses it, never past
 * its raw length, and compares its SHA-256 with its id. Runs on a worker thread with that thread's
 * {@link ChunkCodec}, never on the client agent's thread.
 */
public final class ChunkVerifier
{
    private ChunkVerifier()
    {
    }

    /**
     * @param codec         the calling thread's codec.
     * @param id            the chunk's id.
     * @param rawLength     its raw length, from the manifest.
     * @param compressed    true if the payload is LZ4-compressed.
     * @param payload       the payload as fetched.
     * @param payloadLength its length.
     * @param raw           receives the decompressed bytes when the payload is compressed; at least
     *                      {@code rawLength} long.
     * @return the array holding the verified raw bytes at offset 0 ({@code payload} or {@code raw}), or null if the
     * chunk did not decompress to exactly {@code rawLength} bytes or does not hash to {@code id}.
     */
    public static byte[] verify(
        final ChunkCodec codec,
        final ChunkId id,
        final int rawLength,
        final boolean compressed,
        final byte[] payload,
        final int payloadLength,
        final byte[] raw)
    {
        final byte[] bytes;
        if (compressed)
        {
            if (!codec.decompress(payload, payloadLength, raw, rawLength))
            {
                return null;
            }
            bytes = raw;
        }
        else
        {
            if (payloadLength != rawLength)
            {
                return null;
            }
            bytes = payload;
        }
        return codec.matches(id, bytes, rawLength) ? bytes : null;
    }
}
