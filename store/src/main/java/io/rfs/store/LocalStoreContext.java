package io.rfs.store;

import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.log.Disk;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Configuration of a {@link LocalFileStore}. Every setting has a documented default; {@link #conclude()} checks
 * the values and fills in the defaults.
 */
public final class LocalStoreContext
{
    /** Default node id of a single-node store. */
    public static final int NODE_ID_DEFAULT = 1;
    /** Default bytes per chunk segment file. */
    public static final int CHUNK_SEGMENT_CAPACITY_DEFAULT = 256 * 1024 * 1024;
    /** Default bytes per manifest segment file. */
    public static final int MANIFEST_SEGMENT_CAPACITY_DEFAULT = 16 * 1024 * 1024;
    /** Default share of garbage that makes compaction rewrite a segment. */
    public static final int COMPACTION_GARBAGE_PERCENT_DEFAULT = 25;

    private Path dataDirectory;
    private int nodeId = NODE_ID_DEFAULT;
    private ChunkingPolicy chunking = ChunkingPolicy.DEFAULT;
    private int workerThreads;
    private int chunksInFlight;
    private int chunkSegmentCapacity = CHUNK_SEGMENT_CAPACITY_DEFAULT;
    private int manifestSegmentCapacity = MANIFEST_SEGMENT_CAPACITY_DEFAULT;
    private int compactionGarbagePercent = COMPACTION_GARBAGE_PERCENT_DEFAULT;
    private EpochClock epochClock;
    private Disk disk;
    private ExecutorService workers;
    private boolean ownsWorkers;

    /**
     * Checks every setting and fills in defaults.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting that is wrong.
     */
    public LocalStoreContext conclude()
    {
        if (dataDirectory == null)
        {
            throw new ConfigurationException("dataDirectory", null, "must be set");
        }
        if (nodeId < 0)
        {
            throw new ConfigurationException("nodeId", nodeId, "must be >= 0");
        }
        if (workerThreads == 0)
        {
            workerThreads = Runtime.getRuntime().availableProcessors();
        }
        if (workerThreads < 1 || workerThreads > 256)
        {
            throw new ConfigurationException("workerThreads", workerThreads, "must be 1..256");
        }
        if (chunksInFlight == 0)
        {
            chunksInFlight = 2 * workerThreads + 2;
        }
        if (chunksInFlight < 1 || chunksInFlight > 1024)
        {
            throw new ConfigurationException("chunksInFlight", chunksInFlight, "must be 1..1024");
        }
        if (chunkSegmentCapacity < Math.max(1024 * 1024, 4 * chunking.maxChunkSize()) || chunkSegmentCapacity % 8 != 0)
        {
            throw new ConfigurationException("chunkSegmentCapacity", chunkSegmentCapacity,
                "must be a multiple of 8, at least 1 MiB and at least 4 times the largest chunk (" +
                chunking.maxChunkSize() + ")");
        }
        if (manifestSegmentCapacity < 1024 * 1024 || manifestSegmentCapacity % 8 != 0)
        {
            throw new ConfigurationException("manifestSegmentCapacity", manifestSegmentCapacity,
                "must be a multiple of 8 and at least 1 MiB");
        }
        if (compactionGarbagePercent < 0 || compactionGarbagePercent > 100)
        {
            throw new ConfigurationException("compactionGarbagePercent", compactionGarbagePercent, "must be 0..100");
        }
        if (epochClock == null)
        {
            epochClock = SystemEpochClock.INSTANCE;
        }
        if (disk == null)
        {
            disk = new Disk();
        }
        if (workers == null)
        {
            workers = Executors.newFixedThreadPool(workerThreads, new WorkerThreads());
            ownsWorkers = true;
        }
        return this;
    }

    /**
     * Stops the worker pool if this context created it.
     */
    public void close()
    {
        if (ownsWorkers && workers != null)
        {
            workers.shutdown();
            try
            {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Path dataDirectory()
    {
        return dataDirectory;
    }

    /**
     * @param dataDirectory where the store keeps its files; created if absent. Required.
     * @return this.
     */
    public LocalStoreContext dataDirectory(final Path dataDirectory)
    {
        this.dataDirectory = dataDirectory;
        return this;
    }

    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @param nodeId the node id written into a new store (an existing store keeps its own); default
     *               {@link #NODE_ID_DEFAULT}.
     * @return this.
     */
    public LocalStoreContext nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    public ChunkingPolicy chunking()
    {
        return chunking;
    }

    /**
     * @param chunking how new files are cut; default {@link ChunkingPolicy#DEFAULT}.
     * @return this.
     */
    public LocalStoreContext chunking(final ChunkingPolicy chunking)
    {
        this.chunking = chunking;
        return this;
    }

    public int workerThreads()
    {
        return workerThreads;
    }

    /**
     * @param workerThreads threads that hash, compress and verify chunks; default the number of processors.
     * @return this.
     */
    public LocalStoreContext workerThreads(final int workerThreads)
    {
        this.workerThreads = workerThreads;
        return this;
    }

    public int chunksInFlight()
    {
        return chunksInFlight;
    }

    /**
     * @param chunksInFlight chunk buffers per transfer, which bounds its memory; default twice the worker
     *                       threads plus two.
     * @return this.
     */
    public LocalStoreContext chunksInFlight(final int chunksInFlight)
    {
        this.chunksInFlight = chunksInFlight;
        return this;
    }

    public int chunkSegmentCapacity()
    {
        return chunkSegmentCapacity;
    }

    /**
     * @param capacity bytes per chunk segment file; default {@link #CHUNK_SEGMENT_CAPACITY_DEFAULT}.
     * @return this.
     */
    public LocalStoreContext chunkSegmentCapacity(final int capacity)
    {
        this.chunkSegmentCapacity = capacity;
        return this;
    }

    public int manifestSegmentCapacity()
    {
        return manifestSegmentCapacity;
    }

    /**
     * @param capacity bytes per manifest segment file; default {@link #MANIFEST_SEGMENT_CAPACITY_DEFAULT}.
     * @return this.
     */
    public LocalStoreContext manifestSegmentCapacity(final int capacity)
    {
        this.manifestSegmentCapacity = capacity;
        return this;
    }

    public int compactionGarbagePercent()
    {
        return compactionGarbagePercent;
    }

    /**
     * @param percent share of garbage bytes at which compaction rewrites a segment; default
     *                {@link #COMPACTION_GARBAGE_PERCENT_DEFAULT}.
     * @return this.
     */
    public LocalStoreContext compactionGarbagePercent(final int percent)
    {
        this.compactionGarbagePercent = percent;
        return this;
    }

    public EpochClock epochClock()
    {
        return epochClock;
    }

    /**
     * @param epochClock source of wall-clock time for versions; default the system clock.
     * @return this.
     */
    public LocalStoreContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    public Disk disk()
    {
        return disk;
    }

    /**
     * @param disk file system calls; tests pass one that fails on cue. Default a plain {@link Disk}.
     * @return this.
     */
    public LocalStoreContext disk(final Disk disk)
    {
        this.disk = disk;
        return this;
    }

    public ExecutorService workers()
    {
        return workers;
    }

    /**
     * @param workers an executor to run chunk work on, shared and owned by the caller; default a pool of
     *                {@link #workerThreads()} daemon threads owned by the store.
     * @return this.
     */
    public LocalStoreContext workers(final ExecutorService workers)
    {
        this.workers = workers;
        return this;
    }

    private static final class WorkerThreads implements ThreadFactory
    {
        private static final AtomicInteger COUNT = new AtomicInteger();

        @Override
        public Thread newThread(final Runnable runnable)
        {
            final Thread thread = new Thread(runnable, "rfs-chunk-worker-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
