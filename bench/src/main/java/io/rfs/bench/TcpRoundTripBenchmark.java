package io.rfs.bench;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.WaitingIdleStrategy;
import io.rfs.replication.transport.tcp.AuthMode;
import io.rfs.replication.transport.tcp.TcpTransport;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
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
 * spins on node 1's {@code doWork}/{@code poll} until the echo arrives; node 2 echoes from its own thread, which
 * idles by {@code receiverIdle}:
 * <ul>
 *     <li>{@code busy-spin}: never sleeps, the floor;</li>
 *     <li>{@code backoff}: what node threads did before: spins, yields, then parks from 1 us up to 1 ms;</li>
 *     <li>{@code waiting}: what they do now ({@code NodeServer}): 20 spins, then a wait in the transport's selector
 *     (at most 10 ms) that the request's arrival ends.</li>
 * </ul>
 * Sample-time mode: JMH prints the p50 and p99 of the round trip.
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

    @Param({"busy-spin", "backoff", "waiting"})
    public String receiverIdle;

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
        }, this::idleStrategy);
        receiver[0] = pair.receiver;
        sender = pair.sender;
        request = new UnsafeBuffer(ByteBuffer.allocateDirect(LENGTH));
    }

    private IdleStrategy idleStrategy(final TcpTransport transport)
    {
        switch (receiverIdle)
        {
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(1));
            case "waiting":
                return new WaitingIdleStrategy(transport.waiter(), 20, TimeUnit.MILLISECONDS.toNanos(10));
            default:
                throw new IllegalArgumentException("receiverIdle=" + receiverIdle);
        }
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
