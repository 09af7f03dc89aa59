package io.rfs.bench;

import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
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

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Ring lookups, one key per operation, at 100 nodes of 256 vnodes and N = 3 (the target: under 100 ns and
 * 0 B/op with {@code -prof gc}).
 * <ul>
 *     <li>{@code replicas}: {@link Ring#replicas(long, int[])}, the replica set of a random position into a
 *     caller's array: what the write path asks for every chunk.</li>
 *     <li>{@code primary}: {@link Ring#primary(long)}, the first replica only.</li>
 * </ul>
 * Positions are random (chunk ids are uniform), drawn from a 16 Ki table walked in order, so every lookup lands on
 * a different part of the ring as a stream of chunks would; the table itself streams through the cache.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Thread)
public class RingLookupBenchmark
{
    private static final int POSITIONS = 1 << 14;

    @Param({"100"})
    public int nodes;

    @Param({"256"})
    public int vnodes;

    @Param({"3"})
    public int replicationFactor;

    private Ring ring;
    private final long[] positions = new long[POSITIONS];
    private int[] replicas;
    private int next;

    @Setup
    public void setUp()
    {
        final RingNode[] members = new RingNode[nodes];
        for (int id = 1; id <= nodes; id++)
        {
            members[id - 1] = RingNode.of(id, "node-" + id + ":7000");
        }
        ring = Ring.empty(replicationFactor, vnodes).withNodes(List.of(members));
        replicas = new int[replicationFactor];
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < POSITIONS; i++)
        {
            positions[i] = random.nextLong();
        }
    }

    @Benchmark
    public int replicas()
    {
        final long position = positions[next++ & (POSITIONS - 1)];
        return ring.replicas(position, replicas) + replicas[0];
    }

    @Benchmark
    public int primary()
    {
        return ring.primary(positions[next++ & (POSITIONS - 1)]);
    }
}
