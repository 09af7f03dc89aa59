package io.rfs.store.write;

import io.rfs.store.chunk.FixedSizeChunker;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fixed-size chunks of a stream, hashed as they are read. Like {@link StreamChunkSource}, the workers take
 * turns reading the stream, each its own chunk into its own buffer; but a worker reads its chunk in pieces of
 * {@value #PIECE_BYTES} bytes and hashes between two pieces, while it still holds the stream.
 * <p>
 * <b>Why pieces.</b> SHA-256 with the CPU's SHA instructions is bound by the latency of its rounds, which leaves the
 * core's loads and stores idle; a small copy between two small hashes runs in that idle time, and the hardware
 * prefetcher, which runs about a KiB ahead of a sequential reader, has the next piece's source in the cache by then.
 * Measured in thread CPU time (Xeon with SHA-NI, JDK 17): copying 1 MiB from memory and then hashing it runs at
 * 0.90x of hashing it in place; copying and hashing it in 1 KiB pieces at 0.96x, in 2 KiB pieces 0.92x, 4 to 64 KiB
 * pieces 0.89x to 0.91x; on an AMD EPYC with SHA-NI, 1 KiB and 512-byte pieces both at 0.93x to 0.95x with one
 * worker. An in-memory or buffered stream answers a piece with a copy; a stream whose every read is a system call
 * must be buffered by its caller.
 * <p>
 * <b>Why only part of the hash, with several workers.</b> Hashing under the stream's lock holds up the next worker:
 * with {@code n} workers each must hold the stream less than {@code 1 / n} of its cycle, and with a margin, or the
 * workers keep arriving at the stream together and one of them parks until the other lets go. So a worker still reads
 * all of its chunk in pieces, but between two pieces it hashes only up to {@code 1 / (4 (n - 1))} of what it has read
 * (a quarter with two), and the rest of the chunk after it lets go of the stream, from its own cache. The copy thus
 * stays in pieces, hidden, and only the hashing is shared out. Once another worker waits for the stream, the holder
 * stops hashing and reads the rest of its chunk in one go. One worker hashes every piece as it lands.
 * <p>
 * Measured with two workers in thread CPU time ({@code ChunkHashingCpuTime 2 stream}, AMD EPYC, load 17 to 40), the
 * share of a worker's CPU time spent holding the stream: 0.41 to 0.47 when 7/16 of a chunk was hashed under the lock,
 * so that on an idle machine the two workers met at the stream at almost every chunk; 0.27 to 0.33 with a quarter.
 * Per core the quarter costs nothing: alternated every round in one process (load 25 to 49), 0.920x and 0.918x of the
 * bare loop against 0.912x and 0.909x with 7/16 (3/8: 0.922x). In a scratch loop on one thread 1/8 lost about 2% and
 * none (copy in pieces, then hash) about 5%.
 */
final class FixedStreamChunkSource implements ChunkSource
{
    /** Bytes read and hashed at a time while the stream is held; see the class comment for the measurements. */
    static final int PIECE_BYTES = 512;
    private static final int SHA256_BLOCK_BYTES = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final InputStream in;
    private final FixedSizeChunker chunker;
    private final int chunkSize;
    private final int hashedShareDivisor;
    private int nextSequence;
    private boolean ended;
    private volatile int chunkCount = -1;

    /**
     * @param in        the stream; read only under this source's lock.
     * @param chunkSize bytes per chunk; the last chunk may be shorter.
     * @param readers   how many workers read it at once, at least 1.
     */
    FixedStreamChunkSource(final InputStream in, final int chunkSize, final int readers)
    {
        this.in = in;
        this.chunker = new FixedSizeChunker(chunkSize);
        this.chunkSize = chunkSize;
        this.hashedShareDivisor = readers <= 1 ? 1 : 4 * (readers - 1);
    }

    /**
     * How much of a chunk's first {@code filled} bytes to have hashed while the stream is held: all of them with
     * one reader; with more, a share, rounded down to whole SHA-256 blocks so the digest buffers nothing.
     */
    private int hashedWhileHolding(final int filled)
    {
        return (filled / hashedShareDivisor) & ~(SHA256_BLOCK_BYTES - 1);
    }

    @Override
    public int chunkCount()
    {
        return chunkCount;
    }

    @Override
    public Reader newReader()
    {
        return new Reader()
        {
            @Override
            boolean next(final byte[] buffer) throws IOException
            {
                int filled = 0;
                int hashed = 0;
                lock.lock();
                try
                {
                    if (ended)
                    {
                        return false;
                    }
                    int read;
                    while (!lock.hasQueuedThreads() && (read = chunker.read(in, buffer, filled, PIECE_BYTES)) > 0)
                    {
                        filled += read;
                        final int target = hashedWhileHolding(filled);
                        if (target > hashed)
                        {
                            sha256.update(buffer, hashed, target - hashed);
                            hashed = target;
                        }
                    }
                    while ((read = chunker.read(in, buffer, filled, chunkSize - filled)) > 0)
                    {
                        filled += read;
                    }
                    if (filled == 0)
                    {
                        ended = true;
                        chunkCount = nextSequence;
                        return false;
                    }
                    sequence = nextSequence++;
                }
                catch (final IOException | RuntimeException ex)
                {
                    ended = true; // a failed stream is not read again; the put fails with ex
                    sha256.reset();
                    throw ex;
                }
                finally
                {
                    lock.unlock();
                }
                sha256.update(buffer, hashed, filled - hashed);
                length = filled;
                completeId();
                return true;
            }
        };
    }
}
