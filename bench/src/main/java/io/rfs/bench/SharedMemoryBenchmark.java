package io.rfs.bench;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.replication.transport.shm.SharedMemoryTransport;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * The in-process shared-memory transport with 64-byte message bodies (96-byte frames: header and CRC32C
 * included), between two threads.
 * <ul>
 *     <li>{@code oneWay}: a producer thread offers as fast as the inbox takes, in duty cycles of up to 64 offers each
 *     ended by the transport's {@code doWork} (which commits an open batch when {@code batchLength} is not 0), a
 *     consumer thread polls up to 256 records at a time; the {@code received} counter is the one-way rate in messages
 *     per second ({@code refused} counts duty cycles cut short by a full inbox).</li>
 *     <li>{@code roundTrip}: the benchmark thread offers a ping and spins until the pong that an echo thread sends
 *     back arrives; sample mode, so JMH prints the p50 and p99 of the round trip.</li>
 * </ul>
 * Both threads spin and yield when they find nothing to do (inbox full, or empty), so that on a busy two-core
 * machine one does not spend its time slice waiting for the other; the inbox is 16 MiB (131,072 frames).
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
public class SharedMemoryBenchmark
{
    private static final int MESSAGE_LENGTH = 64;
    private static final int INBOX_CAPACITY = 16 << 20;
    /** Offers per invocation of {@code send}: one duty cycle of a sending agent, ended by its {@code doWork}. */
    private static final int DUTY_CYCLE_OFFERS = 64;

    @State(Scope.Group)
    public static class OneWay
    {
        /** 0: one ring record per frame; else the bytes of a batch record (SharedMemoryContext.batchLength). */
        @Param({"0", "4096"})
        public int batchLength;

        InProcessNetwork network;
        SharedMemoryTransport producer;
        SharedMemoryTransport consumer;
        final UnsafeBuffer body = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_LENGTH));
        final MessageHandler discard = (src, type, cid, buffer, offset, length) ->
        {
        };

        @Setup(Level.Trial)
        public void setUp()
        {
            network = new InProcessNetwork(
                new SharedMemoryContext().inboxCapacity(INBOX_CAPACITY).batchLength(batchLength));
            producer = network.newTransport(1);
            consumer = network.newTransport(2);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            producer.close();
            consumer.close();
        }
    }

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters
    {
        public long sent;
        public long refused;
        public long received;

        @Setup(Level.Iteration)
        public void reset()
        {
            sent = 0;
            refused = 0;
            received = 0;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Group("oneWay")
    @GroupThreads(1)
    public int send(final OneWay state, final Counters counters)
    {
        int sent = 0;
        while (sent < DUTY_CYCLE_OFFERS)
        {
            if (!state.producer.offer(2, MessageTypes.HEARTBEAT, sent, state.body, 0, MESSAGE_LENGTH))
            {
                counters.refused++;
                state.producer.doWork();
                Thread.yield();
                break;
            }
            sent++;
        }
        counters.sent += sent;
        return sent + state.producer.doWork();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Group("oneWay")
    @GroupThreads(1)
    public int receive(final OneWay state, final Counters counters)
    {
        final int count = state.consumer.poll(state.discard, 256);
        if (count == 0)
        {
            Thread.yield();
        }
        counters.received += count;
        return count;
    }

    @State(Scope.Benchmark)
    public static class RoundTrip
    {
        InProcessNetwork network;
        SharedMemoryTransport client;
        SharedMemoryTransport server;
        Thread echo;
        volatile boolean running;
        final UnsafeBuffer body = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_LENGTH));
        final boolean[] answered = new boolean[1];
        final MessageHandler onPong = (src, type, cid, buffer, offset, length) -> answered[0] = true;
        long correlationId;

        @Setup(Level.Trial)
        public void setUp()
        {
            network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(INBOX_CAPACITY));
            client = network.newTransport(1);
            server = network.newTransport(2);
            running = true;
            echo = new Thread(this::echo, "echo");
            echo.setDaemon(true);
            echo.start();
        }

        private void echo()
        {
            final MessageHandler reply = (src, type, cid, buffer, offset, length) ->
            {
                while (!server.offer(src, type, cid, buffer, offset, length))
                {
                    Thread.onSpinWait();
                }
            };
            while (running)
            {
                if (server.poll(reply, 16) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException
        {
            running = false;
            echo.join();
            client.close();
            server.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean roundTrip(final RoundTrip state)
    {
        state.answered[0] = false;
        while (!state.client.offer(2, MessageTypes.HEARTBEAT, ++state.correlationId, state.body, 0, MESSAGE_LENGTH))
        {
            Thread.onSpinWait();
        }
        while (!state.answered[0])
        {
            if (state.client.poll(state.onPong, 1) == 0)
            {
                Thread.onSpinWait();
            }
        }
        return state.answered[0];
    }
}
