package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.store.TransferListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 4 KiB files from 16 threads through one client over TCP loopback (three nodes in this JVM, N = 3) at each
 * consistency level: every get returns what was put, and puts/s, gets/s and their p50/p99 latencies are printed.
 * Slow: run with {@code -Drfs.test.excludedGroups=none -Dtest=RfsClientSmallFilesTest}; files per thread and level
 * from {@code -Drfs.small.files} (default 200); the levels, in the order they run, from {@code -Drfs.small.levels}
 * (default {@code ONE,QUORUM,ALL}: the level measured first pays for whatever warming up is left, so run both orders
 * before comparing levels).
 */
@Tag("slow")
class RfsClientSmallFilesTest
{
    private static final int THREADS = 16;
    private static final int SIZE = 4096;

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void shouldPutAndGetSmallFilesConcurrentlyAtEveryLevel() throws Exception
    {
        final int files = Integer.getInteger("rfs.small.files", 200);
        try (TcpCluster cluster = new TcpCluster(directory, 64 * 1024 * 1024);
            RfsClient client = RfsClient.connect(ClientProperties.load(cluster.clientProperties)))
        {
            for (int i = 0; i < 2_000; i++)
            {
                client.put("warm-up/" + i, new ByteArrayInputStream(new byte[SIZE]), TransferListener.NONE);
                client.get("warm-up/" + i, new ByteArrayOutputStream(SIZE), TransferListener.NONE);
            }
            for (final String levelName : System.getProperty("rfs.small.levels", "ONE,QUORUM,ALL").split(","))
            {
                final ConsistencyLevel level = ConsistencyLevel.valueOf(levelName.trim());
                final long[] putNs = new long[THREADS * files];
                final long[] getNs = new long[THREADS * files];
                final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
                final List<Future<?>> tasks = new ArrayList<>();
                final long putStart = System.nanoTime();
                for (int t = 0; t < THREADS; t++)
                {
                    final int thread = t;
                    tasks.add(threads.submit(() ->
                    {
                        final SplittableRandom random = new SplittableRandom(thread);
                        final byte[] content = new byte[SIZE];
                        for (int i = 0; i < files; i++)
                        {
                            random.nextBytes(content);
                            final long start = System.nanoTime();
                            client.put(level + "/" + thread + "/" + i, new ByteArrayInputStream(content), level,
                                TransferListener.NONE);
                            putNs[thread * files + i] = System.nanoTime() - start;
                        }
                        return null;
                    }));
                }
                for (final Future<?> task : tasks)
                {
                    task.get();
                }
                final long putsElapsed = System.nanoTime() - putStart;
                tasks.clear();
                final long getStart = System.nanoTime();
                for (int t = 0; t < THREADS; t++)
                {
                    final int thread = t;
                    tasks.add(threads.submit(() ->
                    {
                        final SplittableRandom random = new SplittableRandom(thread);
                        final byte[] content = new byte[SIZE];
                        final ByteArrayOutputStream out = new ByteArrayOutputStream(SIZE);
                        for (int i = 0; i < files; i++)
                        {
                            random.nextBytes(content);
                            out.reset();
                            final long start = System.nanoTime();
                            client.get(level + "/" + thread + "/" + i, out, level, TransferListener.NONE);
                            getNs[thread * files + i] = System.nanoTime() - start;
                            assertThat(out.toByteArray()).as("%s/%s/%s", level, thread, i).isEqualTo(content);
                        }
                        return null;
                    }));
                }
                for (final Future<?> task : tasks)
                {
                    task.get();
                }
                final long getsElapsed = System.nanoTime() - getStart;
                threads.shutdown();
                System.out.printf("4 KiB x %d threads x %d at %s: puts %.0f/s (p50 %.2f ms, p99 %.2f ms), " +
                    "gets %.0f/s (p50 %.2f ms, p99 %.2f ms)%n", THREADS, files, level,
                    putNs.length / (putsElapsed / 1e9), percentileMs(putNs, 50), percentileMs(putNs, 99),
                    getNs.length / (getsElapsed / 1e9), percentileMs(getNs, 50), percentileMs(getNs, 99));
            }
            assertThat(client.agentErrors()).isZero();
            assertThat(cluster.onlyDialErrors()).as("%s", cluster.errors).isTrue();
        }
    }

    private static double percentileMs(final long[] samples, final int percentile)
    {
        final long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }
}
