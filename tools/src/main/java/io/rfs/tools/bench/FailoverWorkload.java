package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code failover}: the mixed workload's requests in three phases of equal length, {@code before} with every node
 * up, {@code during} with one node stopped, and {@code after} with it started again on its data; throughput over
 * time is drawn across all three. At ALL a request needs every replica, so while a node is down the requests it
 * owns fail: they are counted as errors.
 * <p>
 * As soon as the node is started again the leader is asked to repair, and the repair is followed while the clients
 * run the {@code after} phase, until a round finds every range's replicas in sync: the copies the node missed while
 * it was down (and any the clients' ONE or QUORUM writes left short) are the repair's work, and its time, bytes and
 * rate are noted.
 */
public final class FailoverWorkload implements Workload
{
    /** Width of a bin of the throughput timeline. */
    static final long BIN_NS_MAX = 1_000_000_000L;
    /** Fewest bins a phase is drawn with. */
    static final int BINS_PER_PHASE_MIN = 10;
    /** How long the workload waits for the repair after the phases. */
    static final long REPAIR_TIMEOUT_NS = 300_000_000_000L;

    @Override
    public String name()
    {
        return "failover";
    }

    @Override
    public void run(final BenchTarget target, final ConsistencyLevel level, final BenchSettings settings,
        final BenchResults results) throws IOException, InterruptedException
    {
        final NodeControl nodes = target.nodes();
        if (nodes == null)
        {
            throw new IllegalStateException("failover needs a cluster whose nodes this process can stop");
        }
        final int victim = nodes.nodeOrHighest(settings.killNode());
        final MixedFiles files = new MixedFiles(target, level, settings, Workload.prefix(this, level, settings));
        files.preload();

        final OperationMix mix = files.mix();
        final LoadRunner runner = settings.runner();
        final long phaseNs = settings.stop().isCounted() ? 0 : settings.stop().durationNs();
        final long binNs = phaseNs == 0 ? 100_000_000L : Math.min(BIN_NS_MAX, phaseNs / BINS_PER_PHASE_MIN);
        final long startNs = System.nanoTime();
        final Timeline timeline = new Timeline(name() + " " + level, startNs, Math.max(1, binNs));

        add(results, level, files, "before", runner.run(mix, settings.stop(), timeline), settings);
        final String how = nodes.stop(victim);
        timeline.event(System.nanoTime(), "node " + victim + " stopped");
        try
        {
            add(results, level, files, "during", runner.run(mix, settings.stop(), timeline), settings);
        }
        finally
        {
            nodes.start(victim);
            timeline.event(System.nanoTime(), "node " + victim + " started");
        }
        // The repair is asked for as soon as the node is back and followed while the clients run: a round that
        // ran during 'after' (the leader may start one by itself) is counted, not only one asked for at the end.
        final CompletableFuture<ClusterRepairer.Figures> repair = target.repair() == null ? null :
            target.repair().repairInBackground(REPAIR_TIMEOUT_NS);
        add(results, level, files, "after", runner.run(mix, settings.stop(), timeline), settings);
        results.add(timeline, System.nanoTime());
        results.note("failover: node " + victim + " was stopped (" + how + ") for the 'during' phase and started " +
            "again for 'after'");
        if (repair != null)
        {
            try
            {
                final ClusterRepairer.Figures figures = repair.get();
                results.add(new RepairResult(name(), level.name(), figures, null));
                results.note("failover " + level + " repair, from the node's start: " + describe(figures));
            }
            catch (final ExecutionException ex)
            {
                results.note("failover " + level + " repair could not be followed: " + ex.getCause().getMessage());
            }
        }
    }

    static String describe(final ClusterRepairer.Figures repair)
    {
        final double mib = repair.bytes() / (1024.0 * 1024.0);
        return String.format(Locale.ROOT, "%s after %.1f s; %d chunks (%.1f MiB) copied%s",
            repair.healthy() ? "healthy" : "NOT healthy", repair.elapsedNs() / 1e9, repair.chunks(), mib,
            repair.copyingNs() > 0 && repair.bytes() > 0 ?
                String.format(Locale.ROOT, " at %.1f MiB/s while copying", mib / (repair.copyingNs() / 1e9)) : "");
    }

    private void add(final BenchResults results, final ConsistencyLevel level, final MixedFiles files,
        final String phase, final Map<String, Measurement> measured, final BenchSettings settings)
    {
        measured.forEach((operation, measurement) -> results.add(new OperationResult(name(), level.name(),
            operation, files.direction(operation), phase, settings.clients(), measurement, false, null)));
    }
}
