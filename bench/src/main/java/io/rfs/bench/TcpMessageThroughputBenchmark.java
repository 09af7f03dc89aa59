package io.rfs.bench;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.tcp.AuthMode;
import io.rfs.replication.transport.tcp.TcpTransport;
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
import java.util.concurrent.TimeUnit;

/**
 * One-way throughput of small messages over loopback TCP: the benchmark thread offers 64-byte bodies to node 2 (as
 * {@code Heartbeat}s, so the registry's role check runs on each) and drives node 1's agent whenever its queue is
 * full; node 2 runs on its own thread and consumes every message.
 * Batching is the transport's own: the agent drains the ring into its send buffer and writes it with one call. One
 * operation is one message accepted; back-pressure keeps accepted within a queue's length of delivered.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Benchmark)
public class TcpMessageThroughputBenchmark
{
    private static final int BATCH = 1000;

    @Param({"HMAC", "TLS"})
    public AuthMode authMode;

    @Param({"64"})
    public int messageLength;

    private TcpPair pair;
    private TcpTransport sender;
    private UnsafeBuffer message;
    private long received;
    private long accepted;

    @Setup(Level.Trial)
    public void setUp()
    {
        pair = new TcpPair(authMode, (source, type, correlationId, buffer, offset, length) -> received++,
            new YieldingIdleStrategy());
        sender = pair.sender;
        message = new UnsafeBuffer(ByteBuffer.allocateDirect(messageLength));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        pair.awaitDelivered(accepted);
        pair.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int offer()
    {
        int sent = 0;
        while (sent < BATCH)
        {
            if (sender.offer(2, MessageTypes.HEARTBEAT, sent, message, 0, messageLength))
            {
                sent++;
            }
            else
            {
                sender.doWork();
            }
        }
        accepted += BATCH;
        return sender.doWork();
    }
}
