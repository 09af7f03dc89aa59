package io.rfs.bench;

import io.rfs.replication.ring.PreferenceList;
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
import java.util.function.IntPredicate;

/**
 * The sloppy-quorum lookup, one key per operation: {@link PreferenceList#substitutes}, a stand-in for the down
 * replica of a random position, at {@code nodes} nodes of 256 vnodes in {@code zones} zones, N = 3, with every tenth
 * node down. This is what a writer in {@code availability} mode pays per chunk whose owner is down (a chunk with all
 * owners up never asks). Run with {@code -prof gc}: 0 B/op expected.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Thread)
public class PreferenceListBenchmark
{
    private static final int POSITIONS = 1 << 14;

    @Param({"10", "100"})
    public int nodes;

    @Param({"1", "3"})
    public int zones;

    private Ring ring;
    private final PreferenceList preferences = new PreferenceList();
    private final long[] positions = new long[POSITIONS];
    private final int[] fallbacks = new int[3];
    private final int[] hintedFor = new int[3];
    private final IntPredicate isDown = id -> id % 10 == 0;
    private int next;

    @Setup
    public void setUp()
    {
        final RingNode[] members = new RingNode[nodes];
        for (int id = 1; id <= nodes; id++)
        {
            members[id - 1] = new RingNode(id, "node-" + id + ":7000", RingNode.STANDARD_WEIGHT, "z" + (id % zones));
        }
        ring = Ring.empty(3, 256).withNodes(List.of(members));
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < POSITIONS; i++)
        {
            positions[i] = random.nextLong();
        }
    }

    @Benchmark
    public int substitutes()
    {
        final long position = positions[next++ & (POSITIONS - 1)];
        return preferences.substitutes(ring, position, isDown, fallbacks, hintedFor) + fallbacks[0];
    }
}
