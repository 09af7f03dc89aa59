package io.rfs.bench;

import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeCounter;
import io.rfs.replication.node.NodeServer;
import io.rfs.replication.node.ThreadingMode;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDescriptor;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
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

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hinted handoff end to end on real node servers (dedicated threads, real files and forces) over the in-process
 * network: node 2 holds {@code hints} chunks of {@code chunkKiB} hinted for node 1, written while node 1 was down;
 * one operation starts node 1 and waits until node 2 has delivered every hint (its {@code HINTS_PENDING} gauge is
 * 0). Divide the chunks by the time for handoff throughput at {@code handoff.max.in.flight} = {@code inFlight}.
 * The setup also reports how long the hinted puts took, for comparison with plain puts.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Thread)
public class HintedHandoffBenchmark
{
    private static final int OWNER = 1;
    private static final int STAND_IN = 2;
    private static final int CLIENT = 100;

    @Param({"1000"})
    public int hints;

    @Param({"64"})
    public int chunkKiB;

    @Param({"1", "4", "16"})
    public int inFlight;

    private Path root;
    private InProcessNetwork network;
    private NodeServer standIn;
    private NodeServer owner;
    private Transport client;

    @Setup(Level.Invocation)
    public void setUp() throws IOException
    {
        root = Files.createTempDirectory("rfs-handoff-bench");
        network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(64 * 1024 * 1024));
        client = network.newTransport(CLIENT);
        standIn = start(STAND_IN);
        final long startNs = System.nanoTime();
        writeHintedChunks();
        final long tookNs = System.nanoTime() - startNs;
        if (standIn.node().counters().get(NodeCounter.HINTS_PENDING) != hints)
        {
            throw new IllegalStateException("hints pending: " + standIn.node().counters());
        }
        System.out.printf("%n%d hinted puts of %d KiB (window 16) took %.1f ms%n", hints, chunkKiB, tookNs / 1e6);
    }

    @Benchmark
    public long handOff() throws IOException, InterruptedException
    {
        owner = start(OWNER);
        while (standIn.node().counters().get(NodeCounter.HINTS_PENDING) > 0)
        {
            Thread.sleep(0, 100_000);
        }
        return owner.node().counters().get(NodeCounter.CHUNKS_WRITTEN);
    }

    @TearDown(Level.Invocation)
    public void tearDown()
    {
        CloseHelper.quietCloseAll(owner, standIn, client);
        owner = null;
        IoUtil.delete(new File(root.toString()), true);
    }

    private NodeServer start(final int id) throws IOException
    {
        final NodeContext context = new NodeContext()
            .nodeId(id)
            .address("127.0.0.1:" + (7400 + id))
            .seed(OWNER, "127.0.0.1:" + (7400 + OWNER))
            .seed(STAND_IN, "127.0.0.1:" + (7400 + STAND_IN))
            .transport(TransportKind.SHM)
            .dataDirectory(root.resolve("node-" + id))
            .threading(ThreadingMode.DEDICATED)
            .handoffMaxInFlight(inFlight)
            .handoffRetryIntervalNs(TimeUnit.MILLISECONDS.toNanos(10));
        return NodeServer.start(context, c -> network.newTransport(c.nodeId()));
    }

    private void writeHintedChunks()
    {
        final UnsafeBuffer request =
            new UnsafeBuffer(new byte[PutChunkRequestDescriptor.BLOCK_LENGTH + chunkKiB * 1024]);
        final PutChunkRequestEncoder encoder = new PutChunkRequestEncoder();
        final PutChunkResponseDecoder response = new PutChunkResponseDecoder();
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] raw = new byte[chunkKiB * 1024];
        final int[] acked = new int[1];
        int sent = 0;
        while (acked[0] < hints)
        {
            while (sent < hints && sent - acked[0] < 16)
            {
                random.nextBytes(raw);
                final int length = encoder.wrap(request, 0).chunkId(ChunkId.of(Sha256.digest(raw)))
                    .rawLength(raw.length).hintedFor(OWNER).payload(new UnsafeBuffer(raw), 0, raw.length)
                    .encodedLength();
                if (!client.offer(STAND_IN, MessageTypes.PUT_CHUNK_REQUEST, sent + 1, request, 0, length))
                {
                    break;
                }
                sent++;
            }
            client.doWork();
            client.poll((source, type, correlationId, buffer, offset, length) ->
            {
                try
                {
                    if (type != MessageTypes.PUT_CHUNK_RESPONSE ||
                        response.wrap(buffer, offset, length).status() != Status.OK || !response.isHintRecorded())
                    {
                        throw new IllegalStateException("hinted put " + correlationId + " answered type " + type);
                    }
                }
                catch (final MalformedMessageException ex)
                {
                    throw new IllegalStateException(ex);
                }
                acked[0]++;
            }, 64);
        }
    }
}
