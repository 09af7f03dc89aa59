package io.rfs.bench;

import io.rfs.store.log.Disk;
import io.rfs.store.log.RecordDescriptor;
import io.rfs.store.log.SegmentLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A node's write path into its chunk log, per 1 MiB record (ops/s = MiB/s): {@link SegmentLog#append} of a chunk
 * record, and every {@code forceEvery} appends a {@link SegmentLog#force()} ({@code fdatasync}), in 256 MiB segments
 * as a node has them. {@code forceEvery} 1 is a node that gets one chunk per batch; 16 is group commit at its best.
 * Segments are written under the temporary directory ({@code java.io.tmpdir}); sealed ones are deleted after each
 * iteration to bound the space used.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Thread)
public class SegmentLogAppendBenchmark
{
    private static final int MIB = 1024 * 1024;
    private static final int SEGMENT_CAPACITY = 256 * MIB;

    @Param({"1", "16"})
    public int forceEvery;

    private final byte[] key = new byte[RecordDescriptor.KEY_LENGTH];
    private byte[] payload;
    private int payloadCrc;
    private Path directory;
    private SegmentLog log;
    private long appends;

    @Setup
    public void setUp() throws IOException
    {
        payload = new byte[MIB];
        new SplittableRandom(1).nextBytes(payload);
        payloadCrc = SegmentLog.payloadCrc(payload, 0, payload.length);
        directory = Files.createTempDirectory("rfs-segment-bench");
        log = SegmentLog.open(directory, new Disk(), SEGMENT_CAPACITY, (location, buffer, offset) -> {});
    }

    @Benchmark
    public long appendAndForce() throws IOException
    {
        key[0] = (byte)appends;
        key[1] = (byte)(appends >>> 8);
        final long location = log.append(
            RecordDescriptor.TYPE_CHUNK, (short)0, key, MIB, payload, 0, MIB, payloadCrc);
        if (++appends % forceEvery == 0)
        {
            log.force();
        }
        return location;
    }

    @TearDown(Level.Iteration)
    public void deleteSealedSegments() throws IOException
    {
        log.force();
        log.roll();
        final int active = log.activeSegmentId();
        for (final int segmentId : log.segmentIds())
        {
            if (segmentId != active)
            {
                log.deleteSegment(segmentId);
            }
        }
    }

    @TearDown
    public void tearDown() throws IOException
    {
        log.close();
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path path : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
