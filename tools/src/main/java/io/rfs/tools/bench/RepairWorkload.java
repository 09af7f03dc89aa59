package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.protocol.RepairControlRequestDescriptor;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code repair}: what a large repair costs the clients. The cluster is first given {@link BenchSettings#repairSize()}
 * of data, so that one node holds about N / nodes of it; then the clients put and get files of 4 KiB and 1 MiB, in
 * equal shares, over three phases:
 * <ol>
 *     <li>{@code no repair}: every node up and in sync, for the run's phase length;</li>
 *     <li>{@code repair <bandwidth>}: one node is SIGKILLed, its chunks deleted and the node started again, and the
 *     leader asked to repair at the repair bandwidth in force (by default {@code repair.bandwidth}); the phase lasts
 *     until a round finds every range in sync;</li>
 *     <li>{@code repair unlimited}: the same with the bandwidth raised on every node to the largest the protocol
 *     carries, so that only the disks, the network and the copy path's own bounds limit the repair.</li>
 * </ol>
 * The bandwidth in force before is set again at the end. Each repair's chunks, bytes and rate are noted beside the
 * clients' latencies; comparing the phases' p99 shows whether the throttle keeps client traffic from starving.
 */
public final class RepairWorkload implements Workload
{
    /** Sizes of the clients' files. */
    static final List<Long> CLIENT_SIZES = List.of(4096L, 1024L * 1024);
    /** Files of each size the clients get from, written before the phases. */
    static final int FILES_PER_SIZE = 16;
    /** Names each client's puts of one size cycle through, so that the puts overwrite rather than pile up. */
    static final int PUT_NAMES_PER_CLIENT = 8;
    /** Size of each file the repair's data is written as. */
    static final long DATA_FILE_SIZE = 64L * 1024 * 1024;
    /** How long a repair phase may last at most. */
    static final long REPAIR_TIMEOUT_NS = 600_000_000_000L;

    @Override
    public String name()
    {
        return "repair";
    }

    @Override
    public void run(final BenchTarget target, final ConsistencyLevel level, final BenchSettings settings,
        final BenchResults results) throws IOException, InterruptedException
    {
        final NodeControl nodes = target.nodes();
        final ClusterRepairer repairer = target.repair();
        if (nodes == null || repairer == null)
        {
            throw new IllegalStateException("repair needs a cluster whose nodes this process can stop and repair");
        }
        final int victim = nodes.nodeOrHighest(settings.killNode());
        final String prefix = Workload.prefix(this, level, settings);
        writeData(target, level, settings, prefix + "data/");
        final OperationMix mix = clientMix(target, level, settings, prefix);
        final LoadRunner runner = settings.runner();

        add(results, level, "no repair", runner.run(mix, settings.stop(), null), settings);
        final long bandwidthBefore = repairer.bandwidth();
        try
        {
            repairPhase(target, level, settings, results, victim, "repair " + SizeLabel.of(bandwidthBefore) + "/s",
                mix, runner);
            repairer.bandwidth(RepairControlRequestDescriptor.MAX_BANDWIDTH);
            repairPhase(target, level, settings, results, victim, "repair unlimited", mix, runner);
        }
        finally
        {
            repairer.bandwidth(bandwidthBefore);
        }
    }

    private void repairPhase(
        final BenchTarget target,
        final ConsistencyLevel level,
        final BenchSettings settings,
        final BenchResults results,
        final int victim,
        final String phase,
        final OperationMix mix,
        final LoadRunner runner) throws IOException, InterruptedException
    {
        final String how = target.nodes().wipeChunks(victim);
        final CompletableFuture<ClusterRepairer.Figures> repair = target.repair()
            .repairInBackground(REPAIR_TIMEOUT_NS);
        final Map<String, Measurement> measured = runner.run(mix,
            new StopCondition(REPAIR_TIMEOUT_NS, 0), null, repair::isDone);
        add(results, level, phase, measured, settings);
        try
        {
            final ClusterRepairer.Figures figures = repair.get();
            results.add(new RepairResult(name() + " (" + phase + ")", level.name(), figures, null));
            results.note("repair " + level + " '" + phase + "': node " + victim + " stopped (" + how + ") and " +
                "started again; " + FailoverWorkload.describe(figures));
        }
        catch (final ExecutionException ex)
        {
            results.note("repair " + level + " '" + phase + "' could not be followed: " + ex.getCause().getMessage());
        }
    }

    /**
     * Writes the data the repair will copy back, as files of {@link #DATA_FILE_SIZE} streamed one at a time.
     */
    private static void writeData(final BenchTarget target, final ConsistencyLevel level,
        final BenchSettings settings, final String prefix) throws IOException
    {
        long left = settings.repairSize();
        for (int file = 0; left > 0; file++)
        {
            final long size = Math.min(DATA_FILE_SIZE, left);
            target.put(prefix + file, new RandomInputStream(size, settings.seed() + file), level);
            left -= size;
        }
    }

    /**
     * Writes the files the gets read, and returns the clients' mix: a put and a get of each size, in equal shares.
     */
    private static OperationMix clientMix(final BenchTarget target, final ConsistencyLevel level,
        final BenchSettings settings, final String prefix) throws IOException
    {
        final OperationMix mix = new OperationMix();
        for (final long size : CLIENT_SIZES)
        {
            final String label = SizeLabel.of(size);
            final String sizePrefix = prefix + label + "/";
            for (int file = 0; file < FILES_PER_SIZE; file++)
            {
                target.put(sizePrefix + "get-" + file, new RandomInputStream(size, settings.seed() - file), level);
            }
            mix.add("put " + label, 1, (client, sequence, random) -> target.put(
                sizePrefix + "put-" + client + "-" + sequence % PUT_NAMES_PER_CLIENT,
                new RandomInputStream(size, random.nextLong()), level));
            mix.add("get " + label, 1, (client, sequence, random) ->
                target.get(sizePrefix + "get-" + random.nextInt(FILES_PER_SIZE), level));
        }
        return mix;
    }

    private void add(final BenchResults results, final ConsistencyLevel level, final String phase,
        final Map<String, Measurement> measured, final BenchSettings settings)
    {
        measured.forEach((operation, measurement) -> results.add(new OperationResult(name(), level.name(),
            operation, operation.startsWith("put") ? OperationResult.Direction.WRITE : OperationResult.Direction.READ,
            phase, settings.clients(), measurement, false, null)));
    }
}
