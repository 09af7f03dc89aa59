package io.rfs.bench;

import io.rfs.store.chunkstore.ChunkCodec;
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

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * LZ4 on the chunk path, per 1 MiB chunk (ops/s = MiB/s): {@code compress} is {@link ChunkCodec#compress}, which
 * probes first and gives up early on incompressible data; {@code decompress} is the bounded safe decompressor on
 * the read path.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Thread)
public class ChunkCodecBenchmark
{
    private static final int MIB = 1024 * 1024;

    @Param({"random", "text"})
    public String data;

    private final ChunkCodec codec = new ChunkCodec();
    private byte[] raw;
    private byte[] compressed;
    private int compressedLength;
    private byte[] out;

    @Setup
    public void setUp()
    {
        raw = new byte[MIB];
        if (data.equals("random"))
        {
            new SplittableRandom(1).nextBytes(raw);
        }
        else
        {
            final byte[] line = "2026-11-28T01:12:29Z INFO rfs.store put name=docs/report-0042.pdf size=1048576\n"
                .getBytes(StandardCharsets.US_ASCII);
            final SplittableRandom random = new SplittableRandom(2);
            for (int i = 0; i < raw.length; i++)
            {
                raw[i] = random.nextInt(10) == 0 ? (byte)('0' + random.nextInt(10)) : line[i % line.length];
            }
        }
        final int length = codec.compress(raw, raw.length);
        compressedLength = length < 0 ? 0 : length;
        compressed = java.util.Arrays.copyOf(codec.compressed(), Math.max(compressedLength, 1));
        out = new byte[MIB];
    }

    @Benchmark
    public int compress()
    {
        return codec.compress(raw, raw.length);
    }

    @Benchmark
    public boolean decompress()
    {
        return compressedLength == 0 || codec.decompress(compressed, compressedLength, out, MIB);
    }
}
