package io.rfs.bench;

import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.write.PutPipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link ChunkHashingBenchmark}'s {@code bareDigest} and {@code pipeline} / {@code pipelineFile} measured in thread
 * CPU time rather than wall time: MiB hashed per CPU-second of every thread the pipeline uses (workers and the
 * calling thread), against MiB per CPU-second of the bare loop, alternating the two 30 times and printing medians.
 * On a machine shared with other jobs, wall-clock throughput says more about the others than about the pipeline;
 * CPU time per MiB moves much less. It cannot show what idle waiting costs (a worker parked on the stream's lock
 * uses no CPU), so with two workers it bounds the wall-clock figure from above. It also prints the medians in wall
 * time, from the same alternating rounds, so that the one-core bound and the pipeline are measured within a second
 * of each other under the same load; with two workers that ratio is the two-core figure, meaningful only on
 * an idle machine (it prints the load average). Beside it, how busy the workers were: their CPU time over the
 * pipeline's wall time, per worker; on an idle machine what is missing from 1 is waiting (for the stream, at the start
 * and end of each stream), on a loaded one it also counts time the scheduler gave to other jobs.
 * <p>
 * {@code java -cp bench/target/benchmarks.jar io.rfs.bench.ChunkHashingCpuTime [WORKERS [stream|file]]}
 */
public final class ChunkHashingCpuTime
{
    private static final int MIB = 1024 * 1024;
    private static final int DATA_MIB = 64;
    private static final int ROUNDS = 30;
    private static final int WARM_UP_ROUNDS = 8;

    private ChunkHashingCpuTime()
    {
    }

    /**
     * @param args workers (default 1) and the road, {@code stream} (default) or {@code file}.
     * @throws IOException if the temporary file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final int workers = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        final boolean fromFile = args.length > 1 && "file".equals(args[1]);
        final byte[] data = new byte[DATA_MIB * MIB];
        new SplittableRandom(1).nextBytes(data);
        final Path file = Files.createTempFile("rfs-chunk-hashing-cpu", ".bin");
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final ExecutorService executor = Executors.newFixedThreadPool(workers, task ->
        {
            final Thread thread = new Thread(task, "chunk-worker");
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        });
        try
        {
            Files.write(file, data);
            final ThreadLocal<ChunkCodec> codecs = ThreadLocal.withInitial(ChunkCodec::new);
            final PutPipeline pipeline =
                new PutPipeline(new DiscardingSink(), executor, codecs::get, 2 * workers + 2, workers);
            final ChunkingPolicy policy = ChunkingPolicy.DEFAULT;
            final RepeatingInputStream in = new RepeatingInputStream(data);
            final MessageDigest digest = Sha256.newDigest();
            final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            final double[] bare = new double[ROUNDS - WARM_UP_ROUNDS];
            final double[] piped = new double[ROUNDS - WARM_UP_ROUNDS];
            final double[] bareWall = new double[ROUNDS - WARM_UP_ROUNDS];
            final double[] pipedWall = new double[ROUNDS - WARM_UP_ROUNDS];
            final double[] workersBusy = new double[ROUNDS - WARM_UP_ROUNDS];
            for (int round = 0; round < ROUNDS; round++)
            {
                final long bareWallStartNs = System.nanoTime();
                final long bareStartNs = bean.getCurrentThreadCpuTime();
                for (int offset = 0; offset < data.length; offset += MIB)
                {
                    digest.update(data, offset, MIB);
                }
                digest.digest();
                final long bareNs = bean.getCurrentThreadCpuTime() - bareStartNs;
                final long bareWallNs = System.nanoTime() - bareWallStartNs;

                final long pipedWallStartNs = System.nanoTime();
                final long workersStartNs = workersCpuTime(bean, threads);
                final long pipedStartNs = cpuTime(bean, threads);
                if (fromFile)
                {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
                    {
                        pipeline.chunk(channel, policy, null, TransferListener.NONE);
                    }
                }
                else
                {
                    pipeline.chunk(in.reset(data.length), policy, null, TransferListener.NONE);
                }
                final long pipedNs = cpuTime(bean, threads) - pipedStartNs;
                final long pipedWallNs = System.nanoTime() - pipedWallStartNs;
                final long workersNs = workersCpuTime(bean, threads) - workersStartNs;
                if (round >= WARM_UP_ROUNDS)
                {
                    bare[round - WARM_UP_ROUNDS] = DATA_MIB * 1e9 / bareNs;
                    piped[round - WARM_UP_ROUNDS] = DATA_MIB * 1e9 / pipedNs;
                    bareWall[round - WARM_UP_ROUNDS] = DATA_MIB * 1e9 / bareWallNs;
                    pipedWall[round - WARM_UP_ROUNDS] = DATA_MIB * 1e9 / pipedWallNs;
                    workersBusy[round - WARM_UP_ROUNDS] = (double)workersNs / ((long)workers * pipedWallNs);
                }
            }
            final double bareMedian = median(bare);
            final double pipedMedian = median(piped);
            System.out.printf(
                "workers=%d road=%s: bare loop %.0f MiB/CPU-s, pipeline %.0f MiB/CPU-s (all its threads): %.3fx%n",
                workers, fromFile ? "file" : "stream", bareMedian, pipedMedian, pipedMedian / bareMedian);
            final double bareWallMedian = median(bareWall);
            final double pipedWallMedian = median(pipedWall);
            System.out.printf(
                "workers=%d road=%s: wall clock: bare loop %.0f MiB/s, pipeline %.0f MiB/s: %.3fx, workers busy %.3f " +
                "of the pipeline's wall time (load %s)%n",
                workers, fromFile ? "file" : "stream", bareWallMedian, pipedWallMedian,
                pipedWallMedian / bareWallMedian, median(workersBusy), loadAverage());
        }
        finally
        {
            executor.shutdownNow();
            Files.deleteIfExists(file);
        }
    }

    private static long cpuTime(final ThreadMXBean bean, final List<Thread> workers)
    {
        return bean.getCurrentThreadCpuTime() + workersCpuTime(bean, workers);
    }

    private static long workersCpuTime(final ThreadMXBean bean, final List<Thread> workers)
    {
        long ns = 0;
        for (final Thread worker : workers)
        {
            ns += Math.max(0, bean.getThreadCpuTime(worker.getId()));
        }
        return ns;
    }

    private static String loadAverage()
    {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
