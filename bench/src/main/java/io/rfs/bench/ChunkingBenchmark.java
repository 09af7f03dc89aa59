package io.rfs.bench;

import io.rfs.store.chunk.Chunker;
import io.rfs.store.chunk.ChunkingPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cutting 64 MiB of random bytes in memory into chunks, without hashing (ops/s x 64 = MiB/s): {@code fixed:1M}
 * copies, {@code cdc:256K:1M:4M} also runs FastCDC's gear hash over every byte past the minimum chunk size. A pass
 * allocates one chunker (and the CDC chunker's read-ahead buffer) and nothing per chunk.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Thread)
public class ChunkingBenchmark
{
    private static final int BYTES = 64 * 1024 * 1024;

    @Param({"fixed:1M", "cdc:256K:1M:4M"})
    public String spec;

    private byte[] data;
    private byte[] chunk;
    private ChunkingPolicy policy;

    @Setup
    public void setUp()
    {
        data = new byte[BYTES];
        new SplittableRandom(3).nextBytes(data);
        policy = ChunkingPolicy.parse(spec);
        chunk = new byte[policy.maxChunkSize()];
    }

    /**
     * @return how many chunks 64 MiB was cut into.
     * @throws IOException never: the stream is in memory.
     */
    @Benchmark
    public int cut() throws IOException
    {
        final Chunker chunker = policy.newChunker();
        final ByteArrayInputStream in = new ByteArrayInputStream(data);
        int chunks = 0;
        while (chunker.next(in, chunk) > 0)
        {
            chunks++;
        }
        return chunks;
    }
}
