package io.rfs.bench;

import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Chunker;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.write.ChunkList;
import io.rfs.store.write.ChunkSink;
import io.rfs.store.write.PutPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * SHA-256 chunk hashing through the whole chunker pipeline, against a bare {@link MessageDigest} loop over the same
 * bytes. One operation is one MiB, so the scores read as MiB/s.
 * <ul>
 *     <li>{@code bareDigest}: the bound, one core: {@code MessageDigest.update} over 1 MiB arrays.</li>
 *     <li>{@code chunkerInline}: chunker plus chunk-id hashing on the calling thread (the pipeline on one core).</li>
 *     <li>{@code pipeline}: the real {@link PutPipeline} (reader thread cuts, {@code workers} threads hash) into a
 *     sink that keeps nothing; {@code workers=1} against {@code workers=2} shows the scaling over both cores.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Benchmark)
public class ChunkHashingBenchmark
{
    private static final int MIB = 1024 * 1024;
    private static final int STREAM_MIB = 64;

    @Param({"fixed:1M"})
    public String chunking;

    @Param({"1", "2"})
    public int workers;

    private byte[] data;
    private RepeatingInputStream in;
    private ChunkingPolicy policy;
    private ExecutorService executor;
    private PutPipeline pipeline;
    private ChunkCodec codec;
    private MessageDigest digest;
    private byte[] chunk;

    @Setup(Level.Trial)
    public void setUp()
    {
        data = new byte[STREAM_MIB * MIB];
        new SplittableRandom(1).nextBytes(data);
        in = new RepeatingInputStream(data);
        policy = ChunkingPolicy.parse(chunking);
        executor = Executors.newFixedThreadPool(workers);
        final ThreadLocal<ChunkCodec> codecs = ThreadLocal.withInitial(ChunkCodec::new);
        pipeline = new PutPipeline(new DiscardingSink(), executor, codecs::get, 2 * workers + 2);
        codec = new ChunkCodec();
        digest = Sha256.newDigest();
        chunk = new byte[policy.maxChunkSize()];
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        executor.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(STREAM_MIB)
    public byte[] bareDigest()
    {
        for (int offset = 0; offset < data.length; offset += MIB)
        {
            digest.update(data, offset, MIB);
        }
        return digest.digest();
    }

    @Benchmark
    @OperationsPerInvocation(STREAM_MIB)
    public long chunkerInline() throws IOException
    {
        final Chunker chunker = policy.newChunker();
        in.reset(data.length);
        long sum = 0;
        int length;
        while ((length = chunker.next(in, chunk)) > 0)
        {
            final ChunkId id = codec.hash(chunk, length);
            sum += id.prefix();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(STREAM_MIB)
    public ChunkList pipeline() throws IOException
    {
        return pipeline.chunk(in.reset(data.length), policy, null, TransferListener.NONE);
    }

    private static final class DiscardingSink implements ChunkSink
    {
        @Override
        public void accept(final ChunkId id, final byte[] raw, final int length, final ChunkCodec codec)
        {
        }

        @Override
        public void force()
        {
        }
    }
}
