package io.rfs.bench;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.tcp.AuthMode;
import io.rfs.replication.transport.tcp.TcpTransport;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Round trip of a 64-byte request and its 64-byte echo over loopback TCP: the benchmark thread offers and then
 * spins on node 1's {@code doWork}/{@code poll} until the echo arrives; node 2 echoes from its own busy-spinning
 * thread. Sample-time mode: JMH prints the p50 and p99 of the round trip.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Benchmark)
public class TcpRoundTripBenchmark
{
    private static final int LENGTH = 64;

    @Param({"HMAC", "TLS"})
    public AuthMode authMode;

    private TcpPair pair;
    private TcpTransport sender;
    private UnsafeBuffer request;
    private long correlationId;
    private long echoed;
    private final MessageHandler onEcho = (source, type, correlation, buffer, offset, length) -> echoed = correlation;

    @Setup(Level.Trial)
    public void setUp()
    {
        final Transport[] receiver = new Transport[1];
        final UnsafeBuffer reply = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
        pair = new TcpPair(authMode, (source, type, correlation, buffer, offset, length) ->
        {
            reply.putBytes(0, buffer, offset, length);
            if (!receiver[0].offer(source, MessageTypes.GET_CHUNK_RESPONSE, correlation, reply, 0, length))
            {
                throw new IllegalStateException("echo refused: one request is outstanding at a time");
            }
        }, new BusySpinIdleStrategy());
        receiver[0] = pair.receiver;
        sender = pair.sender;
        request = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        pair.close();
    }

    @Benchmark
    public long roundTrip()
    {
        final long id = ++correlationId;
        while (!sender.offer(2, MessageTypes.GET_CHUNK_REQUEST, id, request, 0, LENGTH))
        {
            sender.doWork();
        }
        while (echoed != id)
        {
            sender.doWork();
            sender.poll(onEcho, 16);
        }
        return id;
    }
}
