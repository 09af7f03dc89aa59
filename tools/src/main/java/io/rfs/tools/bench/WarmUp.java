package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Untimed requests before the first workload, so that the first figures do not pay for the JIT compiling the data
 * path and the nodes creating their first segment files: a put and a get of a 16 MiB file (or the large size if
 * smaller) and of {@link #SMALL_FILES} small files.
 */
public final class WarmUp
{
    /** Size of the warm-up's large file. */
    static final long LARGE_BYTES = 16L * 1024 * 1024;
    /** How many small files the warm-up puts and gets. */
    static final int SMALL_FILES = 200;

    private WarmUp()
    {
    }

    /**
     * @param target   the cluster.
     * @param settings the run's settings: its prefix, seed and sizes.
     * @throws IOException if a request fails: the cluster is not fit to be measured.
     */
    public static void run(final BenchTarget target, final BenchSettings settings) throws IOException
    {
        final String prefix = settings.namePrefix() + "warm-up/";
        final SplittableRandom random = new SplittableRandom(settings.seed());
        final long large = Math.min(LARGE_BYTES, settings.largeSize());
        target.put(prefix + "large", new RandomInputStream(large, random.nextLong()), ConsistencyLevel.QUORUM);
        target.get(prefix + "large", ConsistencyLevel.QUORUM);
        final byte[] small = new byte[4096];
        for (int i = 0; i < SMALL_FILES; i++)
        {
            random.nextBytes(small);
            target.put(prefix + i, small, ConsistencyLevel.QUORUM);
            target.get(prefix + i, ConsistencyLevel.QUORUM);
        }
    }
}
