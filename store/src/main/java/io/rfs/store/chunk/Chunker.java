package io.rfs.store.chunk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts a stream into chunks. One instance per stream; not thread safe.
 * <p>
 * Get one from {@link ChunkingPolicy#newChunker()}. A chunker may read ahead of the chunk it returns and keep those
 * bytes for the next call, so a stream must be drained through a single chunker and that chunker must not be given
 * another stream.
 */
public interface Chunker
{
    /**
     * Reads the next chunk of {@code in} into {@code dst[0..n)} and returns n; returns 0 once the stream has ended
     * (and on every later call, without reading {@code in} again). Every chunk has
     * {@link #minChunkSize()} {@code <= n <=} {@link #maxChunkSize()} except the last chunk of the stream, which may
     * be shorter than min. An empty stream yields no chunk at all (the first call returns 0).
     *
     * @param in  the stream being chunked; the same stream on every call.
     * @param dst where the chunk is written; its length must be at least {@link #maxChunkSize()}. It may be a
     *            different array on every call: the chunker keeps bytes read ahead in its own buffer and holds no
     *            reference to {@code dst} after returning.
     * @return the length of the chunk, or 0 at the end of the stream.
     * @throws IOException              if {@code in} fails.
     * @throws IllegalArgumentException if {@code dst} is shorter than {@link #maxChunkSize()}.
     */
    int next(InputStream in, byte[] dst) throws IOException;

    /**
     * @return the smallest length of any chunk but the last.
     */
    int minChunkSize();

    /**
     * @return the largest length of any chunk, and so the least length of the {@code dst} given to
     * {@link #next(InputStream, byte[])}.
     */
    int maxChunkSize();
}
