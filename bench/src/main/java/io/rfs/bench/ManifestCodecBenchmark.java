package io.rfs.bench;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The manifest record (FORMATS.md) of a file of {@code chunks} 1 MiB chunks: {@code encode} writes a
 * {@link Manifest} into a direct buffer; {@code verify} is every check a reader makes before trusting a record
 * (lengths, CRC, name rules), through the flyweight, and should allocate nothing ({@code -prof gc}); {@code decode}
 * builds the {@link Manifest} object and its chunk ids, which allocates by design; {@code flyweightRead} walks the
 * chunk ids and lengths through {@link ManifestDecoder} without building objects.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Thread)
public class ManifestCodecBenchmark
{
    @Param({"1", "1024"})
    public int chunks;

    private final ManifestDecoder decoder = new ManifestDecoder();
    private Manifest manifest;
    private UnsafeBuffer buffer;
    private UnsafeBuffer encoded;
    private int length;

    @Setup
    public void setUp() throws CorruptManifestException
    {
        final SplittableRandom random = new SplittableRandom(4);
        final ChunkId[] ids = new ChunkId[chunks];
        final int[] lengths = new int[chunks];
        for (int i = 0; i < chunks; i++)
        {
            final byte[] id = new byte[ChunkId.LENGTH];
            random.nextBytes(id);
            ids[i] = ChunkId.of(id);
            lengths[i] = 1 << 20;
        }
        final byte[] sha256 = new byte[32];
        random.nextBytes(sha256);
        manifest = new Manifest("backups/2026/11/db-full.tar", (long)chunks << 20, sha256, ids, lengths,
            new Version(1_764_300_000_000L << 16, 1), false);
        final int capacity = ManifestCodec.encodedLength(manifest);
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        encoded = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        length = ManifestCodec.encode(manifest, encoded, 0);
    }

    @Benchmark
    public int encode()
    {
        return ManifestCodec.encode(manifest, buffer, 0);
    }

    @Benchmark
    public int verify() throws CorruptManifestException
    {
        ManifestCodec.verify(encoded, 0, length);
        return length;
    }

    @Benchmark
    public Manifest decode() throws CorruptManifestException
    {
        return ManifestCodec.decode(encoded, 0, length);
    }

    @Benchmark
    public long flyweightRead() throws CorruptManifestException
    {
        decoder.wrap(encoded, 0, length);
        long sum = decoder.size();
        for (int i = 0; i < decoder.chunkCount(); i++)
        {
            sum += decoder.chunkLength(i) + encoded.getLong(decoder.chunkIdOffset(i));
        }
        return sum;
    }
}
