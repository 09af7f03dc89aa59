package io.rfs.tools.bench;

import java.util.List;

/**
 * What a benchmark run was asked to do, shared by every workload.
 *
 * @param clients    concurrent clients in each timed phase (the large workload streams one file at a time).
 * @param stop       when each timed phase ends.
 * @param largeSize  bytes of the large workload's file.
 * @param smallSizes file sizes of the small workload.
 * @param mixedSize  file size of the mixed and failover workloads.
 * @param mixedFiles how many files the mixed and failover workloads read and overwrite.
 * @param readRatio  share of reads in the mixed and failover workloads, 0 to 1.
 * @param killNode   the node the failover workload stops, or 0 for the highest id.
 * @param slowNode   the node the balancers workload slows down, or 0 for the highest id.
 * @param slowDelayNs how long that node's storage waits before each chunk read during the balancers workload.
 * @param repairSize data written before the repair workload's phases, which one node's repair copies a share of.
 * @param namePrefix every name the run writes starts with it, e.g. {@code bench/3f2a9c/}.
 * @param seed       seeds the clients' random sources and the generated content.
 */
public record BenchSettings(
    int clients,
    StopCondition stop,
    long largeSize,
    List<Long> smallSizes,
    long mixedSize,
    int mixedFiles,
    double readRatio,
    int killNode,
    int slowNode,
    long slowDelayNs,
    long repairSize,
    String namePrefix,
    long seed)
{
    /** Default size of the large workload's file: 1 GiB. */
    public static final long LARGE_SIZE_DEFAULT = 1L << 30;
    /** Default sizes of the small workload: 4 KiB and 64 KiB. */
    public static final List<Long> SMALL_SIZES_DEFAULT = List.of(4096L, 65536L);
    /** Default file size of the mixed workload: 64 KiB. */
    public static final long MIXED_SIZE_DEFAULT = 65536;
    /** Default number of files the mixed workload works on. */
    public static final int MIXED_FILES_DEFAULT = 256;
    /** Default share of reads in the mixed workload. */
    public static final double READ_RATIO_DEFAULT = 0.8;
    /**
     * Default delay of the slow node's chunk reads in the balancers workload: a few times a chunk read on this
     * machine's embedded cluster (under 1 ms at p50), as a disk that has fallen behind would be.
     */
    public static final long SLOW_DELAY_NS_DEFAULT = 2_000_000L;
    /**
     * Default data of the repair workload: 512 MiB, of which a node of a 5-node cluster at N = 3 holds about
     * 300 MiB, minutes of copying at the default {@code repair.bandwidth}.
     */
    public static final long REPAIR_SIZE_DEFAULT = 512L * 1024 * 1024;

    /**
     * @param clients at least 1.
     */
    public BenchSettings
    {
        if (clients < 1)
        {
            throw new IllegalArgumentException("clients=" + clients + " must be at least 1");
        }
        if (!(readRatio >= 0 && readRatio <= 1))
        {
            throw new IllegalArgumentException("readRatio=" + readRatio + " must be within 0..1");
        }
        if (mixedFiles < 1)
        {
            throw new IllegalArgumentException("mixedFiles=" + mixedFiles + " must be at least 1");
        }
        if (slowDelayNs < 0)
        {
            throw new IllegalArgumentException("slowDelayNs=" + slowDelayNs + " must not be negative");
        }
        if (repairSize < 0)
        {
            throw new IllegalArgumentException("repairSize=" + repairSize + " must not be negative");
        }
        smallSizes = List.copyOf(smallSizes);
    }

    /**
     * @return a runner with this run's clients and seed.
     */
    LoadRunner runner()
    {
        return new LoadRunner(clients, seed);
    }
}
