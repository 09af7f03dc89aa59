package io.rfs.bench;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.tcp.AuthMode;
import io.rfs.replication.transport.tcp.TcpTransport;
import org.agrona.BufferUtil;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * 4 MiB chunk transfer over loopback TCP, the way a replica write travels: a gather offer of 64 bytes of fields and
 * a 4 MiB payload known only by its address (as a chunk in a mapped segment is), written to the socket from its own
 * memory; node 2 receives each into its buffer and consumes it in place. One operation is one MiB, so the score reads
 * MiB/s; compare it with the loopback figure of {@code limits.sh --only tcp}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Benchmark)
public class TcpChunkThroughputBenchmark
{
    private static final int CHUNK = 4 * 1024 * 1024;
    private static final int CHUNKS_PER_INVOCATION = 8;
    private static final int FIELDS = 64;

    @Param({"HMAC", "TLS"})
    public AuthMode authMode;

    private TcpPair pair;
    private TcpTransport sender;
    private ByteBuffer memory;
    private UnsafeBuffer payload;
    private UnsafeBuffer fields;
    private long bytesReceived;
    private long accepted;

    @Setup(Level.Trial)
    public void setUp()
    {
        pair = new TcpPair(authMode, (source, type, correlationId, buffer, offset, length) -> bytesReceived += length,
            new YieldingIdleStrategy());
        sender = pair.sender;
        memory = ByteBuffer.allocateDirect(CHUNK);
        payload = new UnsafeBuffer(BufferUtil.address(memory), CHUNK);
        final byte[] bytes = new byte[CHUNK];
        new SplittableRandom(1).nextBytes(bytes);
        payload.putBytes(0, bytes);
        fields = new UnsafeBuffer(ByteBuffer.allocateDirect(FIELDS));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        pair.awaitDelivered(accepted);
        pair.close();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNKS_PER_INVOCATION * 4)
    public int transfer()
    {
        int sent = 0;
        while (sent < CHUNKS_PER_INVOCATION)
        {
            if (sender.offer(2, MessageTypes.PUT_CHUNK_REQUEST, sent, fields, 0, FIELDS, payload, 0, CHUNK))
            {
                sent++;
            }
            else
            {
                sender.doWork();
            }
        }
        accepted += CHUNKS_PER_INVOCATION;
        return sender.doWork();
    }
}
