package io.rfs.store;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.CompactionReport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link CrashRecoveryTest}: opens a {@link LocalFileStore} and writes to it until it is
 * killed, telling the parent on stdout what it is about to do and what has returned.
 * <p>
 * Usage: {@code CrashWorker <mode> <dataDirectory> <seed> <firstIndex>}. Put number {@code i} (counting from
 * {@code firstIndex}) stores {@link #content(Mode, long, int)} under {@link #name(Mode, int)}. The output protocol, one
 * line per event, flushed at once:
 * <pre>
 *   READY                                  the store is open (recovery done)
 *   PUT &lt;name&gt; &lt;index&gt;                     a put is about to start
 *   ACK &lt;name&gt; &lt;sha256&gt; &lt;size&gt; &lt;index&gt;     that put returned: it is durable
 *   DELETING &lt;name&gt;                        a delete is about to start
 *   DEL &lt;name&gt;                             that delete returned: it is durable
 *   COMPACTING                             compact() is about to be called
 *   COMPACTED &lt;segments&gt; &lt;moved&gt; &lt;dropped&gt; &lt;nanos&gt;   compact() returned, and how long it took
 *   DROPPING &lt;name&gt; &lt;index&gt;              the deleted file's manifest and chunks are about to be dropped
 *   DROPPED &lt;name&gt; &lt;index&gt;               that drop returned: it is durable
 * </pre>
 * {@link Mode#STEP} also prints the lines of {@link SteppedCompactions}.
 * Other lines (a library's banner) may appear and mean nothing. The worker halts by itself if its stdin closes
 * (the parent died) or after {@link #MAX_RUNTIME_NS}, so a lost parent never leaves it filling the disk.
 */
public final class CrashWorker
{
    /** Fixed chunk size, small so that files span several chunks. */
    static final int CHUNK_SIZE = 64 * 1024;
    /** Chunk segment size, small so that segments roll every few dozen puts. */
    static final int CHUNK_SEGMENT_CAPACITY = 4 * 1024 * 1024;
    /** Names {@link Mode#OVERWRITE} cycles through. */
    static final int OVERWRITE_NAMES = 8;
    /** Puts between two delete-and-compact passes of {@link Mode#COMPACT}. */
    static final int COMPACT_BATCH = 10;
    /** Largest file {@link #content(long, int)} makes. */
    static final int MAX_FILE_SIZE = 400 * 1024;
    /** Chunk segment size of {@link Mode#STEP}, the smallest the log allows, so that compactions have many victims. */
    static final int STEP_CHUNK_SEGMENT_CAPACITY = 1024 * 1024;
    /** Budget of a {@link Mode#STEP} compaction step: a record or two, so that a compaction takes many steps. */
    static final int STEP_BYTES = 32 * 1024;
    static final long MAX_RUNTIME_NS = TimeUnit.SECONDS.toNanos(120);
    private static final int BLOCK_POOL = 4;

    /**
     * What the worker does in its loop.
     */
    enum Mode
    {
        /** Put {@code f<i>}, a new name every time. */
        PUT,
        /** Put {@code o<i % 8>}: new versions of a few names. */
        OVERWRITE,
        /** Put {@code c<i>}; after every batch delete about two thirds of it and compact. */
        COMPACT,
        /**
         * Put {@code s<i>}; after every batch delete about two thirds of it and drop those files' manifests and
         * chunks; one incremental compaction step after each put and each drop.
         */
        STEP
    }

    private CrashWorker()
    {
    }

    /**
     * @param args mode, data directory, seed, first put index.
     * @throws IOException if the store fails; the parent sees the worker end without being killed.
     */
    public static void main(final String[] args) throws IOException
    {
        final Mode mode = Mode.valueOf(args[0]);
        final Path dataDirectory = Path.of(args[1]);
        final long seed = Long.parseLong(args[2]);
        final int firstIndex = Integer.parseInt(args[3]);
        haltWhenParentGoes();
        final long deadlineNs = System.nanoTime() + MAX_RUNTIME_NS;

        try (LocalFileStore store = LocalFileStore.open(context(mode, dataDirectory)))
        {
            final SteppedCompactions compactions = new SteppedCompactions(store, STEP_BYTES);
            emit("READY");
            for (int index = firstIndex; System.nanoTime() < deadlineNs; index++)
            {
                final String name = name(mode, index);
                final byte[] content = content(mode, seed, index);
                emit("PUT " + name + " " + index);
                final FileStat stat = store.put(name, new ByteArrayInputStream(content), TransferListener.NONE);
                emit("ACK " + name + " " + stat.sha256() + " " + stat.size() + " " + index);
                if (mode == Mode.COMPACT && (index + 1) % COMPACT_BATCH == 0)
                {
                    deleteAndCompact(store, seed, index);
                }
                if (mode == Mode.STEP)
                {
                    compactions.step();
                    if ((index + 1) % COMPACT_BATCH == 0)
                    {
                        deleteAndDrop(store, seed, index, compactions);
                    }
                }
            }
        }
        Runtime.getRuntime().halt(4);
    }

    /**
     * The configuration a worker in {@code mode} writes with and the test reopens with.
     *
     * @param mode          what the worker does.
     * @param dataDirectory the store's directory.
     * @return {@link #context(Path)}, with the smallest chunk segments for {@link Mode#STEP}.
     */
    static LocalStoreContext context(final Mode mode, final Path dataDirectory)
    {
        final LocalStoreContext context = context(dataDirectory);
        return mode == Mode.STEP ? context.chunkSegmentCapacity(STEP_CHUNK_SEGMENT_CAPACITY) : context;
    }

    /**
     * The configuration the worker writes with and the test reopens with.
     *
     * @param dataDirectory the store's directory.
     * @return a context with small segments, small fixed chunks and compaction of every sealed segment.
     */
    static LocalStoreContext context(final Path dataDirectory)
    {
        return new LocalStoreContext()
            .dataDirectory(dataDirectory)
            .chunking(ChunkingPolicy.fixed(CHUNK_SIZE))
            .chunkSegmentCapacity(CHUNK_SEGMENT_CAPACITY)
            .manifestSegmentCapacity(1024 * 1024)
            .compactionGarbagePercent(0)
            .workerThreads(2);
    }

    /**
     * @param mode  what the worker does.
     * @param index a put's index.
     * @return the name that put writes.
     */
    static String name(final Mode mode, final int index)
    {
        switch (mode)
        {
            case PUT:
                return "f" + index;
            case OVERWRITE:
                return "o" + (index % OVERWRITE_NAMES);
            case STEP:
                return "s" + index;
            default:
                return "c" + index;
        }
    }

    /**
     * @param seed  the run's seed.
     * @param index a put's index, at least 0.
     * @return true if {@link Mode#COMPACT} deletes the file of put {@code index} after its batch.
     */
    static boolean isDeletedAfterBatch(final long seed, final int index)
    {
        return new SplittableRandom(mix(seed ^ 0x5DEECE66DL, index)).nextInt(3) != 0;
    }

    /**
     * The bytes of put {@code index} in {@code mode}: {@link #content(long, int)}, except that a file
     * {@link Mode#STEP} deletes and drops is random bytes of its own, so that no other file shares a chunk the drop
     * takes away.
     *
     * @param mode  what the worker does.
     * @param seed  the run's seed.
     * @param index a put's index, at least 0.
     * @return the content.
     */
    static byte[] content(final Mode mode, final long seed, final int index)
    {
        if (mode == Mode.STEP && isDeletedAfterBatch(seed, index))
        {
            final SplittableRandom random = new SplittableRandom(mix(~seed ^ 0x5DEECE66DL, index));
            return randomBytes(random, random.nextInt(64, MAX_FILE_SIZE));
        }
        return content(seed, index);
    }

    /**
     * @param content a file's bytes.
     * @return the ids of its chunks, as {@link #CHUNK_SIZE} fixed chunking cuts them.
     */
    static List<ChunkId> chunkIds(final byte[] content)
    {
        final List<ChunkId> ids = new ArrayList<>();
        for (int offset = 0; offset < content.length; offset += CHUNK_SIZE)
        {
            ids.add(ChunkId.of(Sha256.digest(
                Arrays.copyOfRange(content, offset, Math.min(content.length, offset + CHUNK_SIZE)))));
        }
        return ids;
    }

    /**
     * The bytes of put {@code index}: a deterministic mix of tiny files, whole-file duplicates of recent puts,
     * files built from a small pool of chunk-aligned blocks (so chunks deduplicate across files), compressible
     * text, exact multiples of the chunk size, and plain random data up to {@link #MAX_FILE_SIZE}.
     *
     * @param seed  the run's seed.
     * @param index a put's index, at least 0.
     * @return the content.
     */
    static byte[] content(final long seed, final int index)
    {
        final SplittableRandom random = new SplittableRandom(mix(seed, index));
        switch (random.nextInt(10))
        {
            case 0:
                return randomBytes(random, random.nextInt(2));
            case 1:
                return index == 0 ? randomBytes(random, CHUNK_SIZE) :
                    content(seed, Math.max(0, index - 1 - random.nextInt(3)));
            case 2:
                return pooledBlocks(seed, random);
            case 3:
                return text(index, random.nextInt(1, 300 * 1024));
            case 4:
                return randomBytes(random, CHUNK_SIZE * random.nextInt(1, 6));
            default:
                return randomBytes(random, random.nextInt(1, MAX_FILE_SIZE));
        }
    }

    private static void deleteAndCompact(final LocalFileStore store, final long seed, final int lastIndex)
        throws IOException
    {
        for (int index = lastIndex - COMPACT_BATCH + 1; index <= lastIndex; index++)
        {
            if (isDeletedAfterBatch(seed, index))
            {
                final String name = name(Mode.COMPACT, index);
                emit("DELETING " + name);
                store.delete(name);
                emit("DEL " + name);
            }
        }
        emit("COMPACTING");
        final long startNs = System.nanoTime();
        final CompactionReport report = store.compact();
        final long durationNs = System.nanoTime() - startNs;
        emit("COMPACTED " + report.segmentsRewritten() + " " + report.chunksMoved() + " " +
            report.chunksDropped() + " " + durationNs);
    }

    private static void deleteAndDrop(
        final LocalFileStore store, final long seed, final int lastIndex, final SteppedCompactions compactions)
        throws IOException
    {
        for (int index = lastIndex - COMPACT_BATCH + 1; index <= lastIndex; index++)
        {
            if (isDeletedAfterBatch(seed, index))
            {
                final String name = name(Mode.STEP, index);
                emit("DELETING " + name);
                final FileStat tombstone = store.delete(name);
                emit("DEL " + name);
                compactions.step();
                emit("DROPPING " + name + " " + index);
                store.manifestStore().drop(List.of(name), List.of(tombstone.version()), new boolean[1]);
                store.chunkStore().drop(chunkIds(content(Mode.STEP, seed, index)), null);
                emit("DROPPED " + name + " " + index);
                compactions.step();
            }
        }
    }

    private static byte[] pooledBlocks(final long seed, final SplittableRandom random)
    {
        final int blocks = random.nextInt(1, 7);
        final int tail = random.nextInt(0, CHUNK_SIZE);
        final byte[] bytes = new byte[blocks * CHUNK_SIZE + tail];
        for (int b = 0; b < blocks; b++)
        {
            final byte[] block = randomBytes(new SplittableRandom(mix(~seed, random.nextInt(BLOCK_POOL))), CHUNK_SIZE);
            System.arraycopy(block, 0, bytes, b * CHUNK_SIZE, CHUNK_SIZE);
        }
        final byte[] end = randomBytes(random, tail);
        System.arraycopy(end, 0, bytes, blocks * CHUNK_SIZE, tail);
        return bytes;
    }

    private static byte[] text(final int index, final int size)
    {
        final StringBuilder text = new StringBuilder(size + 64);
        for (int line = 0; text.length() < size; line++)
        {
            text.append("file ").append(index).append(" line ").append(line).append(": all work and no play\n");
        }
        final byte[] bytes = new byte[size];
        System.arraycopy(text.toString().getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, size);
        return bytes;
    }

    private static byte[] randomBytes(final SplittableRandom random, final int size)
    {
        final byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static long mix(final long seed, final int index)
    {
        return seed + 0x9E37_79B9_7F4A_7C15L * (index + 1L);
    }

    static void emit(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    private static void haltWhenParentGoes()
    {
        final Thread watchdog = new Thread(
            () ->
            {
                try (InputStream in = System.in)
                {
                    while (in.read() >= 0)
                    {
                        // The parent writes nothing; end of input means it is gone.
                    }
                }
                catch (final IOException ignore)
                {
                    // Treated as end of input.
                }
                Runtime.getRuntime().halt(3);
            },
            "crash-worker-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
