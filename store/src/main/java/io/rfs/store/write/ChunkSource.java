package io.rfs.store.write;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;

import java.io.IOException;
import java.security.MessageDigest;

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
        /** This reader's SHA-256, fed the current chunk's bytes. */
        final MessageDigest sha256 = Sha256.newDigest();
        private final byte[] digest = new byte[ChunkId.LENGTH];

        /**
         * Reads the next chunk into {@code buffer} and hashes it, setting {@link #sequence}, {@link #length} and
         * {@link #id}.
         *
         * @param buffer a chunk buffer of the source's largest chunk size.
         * @return false, with nothing read, once every chunk has been handed out.
         * @throws IOException if reading fails.
         */
        abstract boolean next(byte[] buffer) throws IOException;

        /**
         * Sets {@link #id} to the SHA-256 of what {@link #sha256} was fed since the last chunk, and resets it.
         */
        void completeId()
        {
            Sha256.finish(sha256, digest);
            id = ChunkId.of(digest, 0);
        }

        @Override
        public void close()
        {
        }
    }
}
