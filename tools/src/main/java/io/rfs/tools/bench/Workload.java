package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;

import java.io.IOException;

/**
 * One benchmark workload, such as small-file puts and gets. It writes its files under the run's name prefix and
 * adds a result per operation (and phase) it timed.
 */
public interface Workload
{
    /**
     * @return its name on the command line and in the results, e.g. {@code small}.
     */
    String name();

    /**
     * Runs the workload once at one consistency level.
     *
     * @param target   the cluster.
     * @param level    W and R of every request.
     * @param settings the run's settings.
     * @param results  where to add what was measured.
     * @throws IOException          if the workload cannot go on (its set-up failed).
     * @throws InterruptedException if the run is interrupted.
     */
    void run(BenchTarget target, ConsistencyLevel level, BenchSettings settings, BenchResults results)
        throws IOException, InterruptedException;

    /**
     * @param workload the workload.
     * @param level    the level.
     * @param settings the run's settings.
     * @return the prefix of the names this workload writes at this level.
     */
    static String prefix(final Workload workload, final ConsistencyLevel level, final BenchSettings settings)
    {
        return settings.namePrefix() + workload.name() + "-" + level.name().toLowerCase(java.util.Locale.ROOT) + "/";
    }
}
