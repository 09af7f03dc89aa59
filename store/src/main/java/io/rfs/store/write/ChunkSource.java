package io.rfs.store.write;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;

import java.io.IOException;

/**
 * Where a put's chunks come from, as {@link ParallelChunking}'s workers pull them: each worker has its own
 * {@link Reader}, which fills the worker's buffer with the next chunk and hashes it on that worker's core, so the
 * bytes are hashed from the cache they were just copied into.
 */
interface ChunkSource
{
    /**
     * @return the number of chunks, once known: from the start for a file, at its end for a stream; -1 before.
     */
    int chunkCount();

    /**
     * @return a reader for one worker thread.
     */
    Reader newReader();

    /**
     * One worker's access to the source. Not thread safe; {@link #close()} when the worker is done.
     */
    abstract class Reader implements AutoCloseable
    {
        /** Position of the chunk last read in the source's order, from 0. */
        int sequence;
        /** Its length in bytes. */
        int length;
        /** Its id. */
        ChunkId id;

        /**
         * Reads the next chunk into {@code buffer} and hashes it, setting {@link #sequence}, {@link #length} and
         * {@link #id}.
         *
         * @param buffer a chunk buffer of the source's largest chunk size.
         * @param codec  the calling worker's codec.
         * @return false, with nothing read, once every chunk has been handed out.
         * @throws IOException if reading fails.
         */
        abstract boolean next(byte[] buffer, ChunkCodec codec) throws IOException;

        @Override
        public void close()
        {
        }
    }
}
