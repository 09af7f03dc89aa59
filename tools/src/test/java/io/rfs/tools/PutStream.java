package io.rfs.tools;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.RfsClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writer threads that put files at QUORUM until stopped, with a ledger of what each put did: the acknowledged ones
 * with the SHA-256 of their bytes, the failed ones with theirs and the exception. The ledger keeps digests, not
 * bytes, so that a stream of a few minutes fits in the test JVM's heap. Three puts in four are of one chunk (at most
 * the client's chunk size), the fourth of one chunk to {@code multiChunkMaxBytes}, so that a fault cuts multi-chunk
 * puts too. Names are {@code stream/<writer>/<i>}; the bytes come from the seed.
 */
final class PutStream implements AutoCloseable
{
    /** A put that failed: its name, its size, the SHA-256 of its bytes and what it threw. */
    record Failure(String name, int size, String sha256, Exception cause)
    {
        @Override
        public String toString()
        {
            return name + " (" + size + " bytes): " + cause;
        }
    }

    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final Semaphore acks = new Semaphore(0);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    PutStream(final RfsClient client, final int writers, final long seed, final int chunkSize,
        final int multiChunkMaxBytes)
    {
        for (int w = 0; w < writers; w++)
        {
            final int writer = w;
            final Thread thread = new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(seed + writer);
                for (int i = 0; !stop.get(); i++)
                {
                    final String name = "stream/" + writer + "/" + i;
                    final byte[] content = new byte[i % 4 == 3 ?
                        random.nextInt(chunkSize + 1, multiChunkMaxBytes) : 1 + random.nextInt(chunkSize)];
                    random.nextBytes(content);
                    attempts.incrementAndGet();
                    try
                    {
                        MultiProcessCluster.put(client, name, content, ConsistencyLevel.QUORUM);
                        acknowledged.put(name, TestData.sha256(content));
                        acks.release();
                    }
                    catch (final IOException | RuntimeException ex)
                    {
                        failures.add(new Failure(name, content.length, TestData.sha256(content), ex));
                    }
                }
            }, "writer-" + w);
            thread.start();
            threads.add(thread);
        }
    }

    /**
     * Waits until this many more puts are acknowledged than when last asked.
     *
     * @return false if the time ran out first.
     */
    boolean awaitMoreAcknowledged(final int count, final long timeoutS) throws InterruptedException
    {
        acks.drainPermits();
        return acks.tryAcquire(count, timeoutS, TimeUnit.SECONDS);
    }

    /**
     * @return the acknowledged puts so far, name to the SHA-256 of its bytes: a copy.
     */
    Map<String, String> acknowledged()
    {
        return Map.copyOf(acknowledged);
    }

    /**
     * @return the failed puts so far: a copy.
     */
    List<Failure> failures()
    {
        return List.copyOf(failures);
    }

    int attempts()
    {
        return attempts.get();
    }

    /**
     * Stops the writers and waits for their puts in flight to end.
     */
    @Override
    public void close() throws InterruptedException
    {
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(120));
        }
    }
}
