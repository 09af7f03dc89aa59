package io.rfs.replication.sim;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * Runs many seeds, each on one thread of a pool as wide as asked (one per core for {@code rfs sim}), and sums them
 * up. Seeds are independent: a seed's result does not depend on which thread ran it or what ran beside it.
 */
public final class SimulationRunner
{
    private SimulationRunner()
    {
    }

    /**
     * @param firstSeed the first seed.
     * @param count     seeds to run, {@code firstSeed .. firstSeed + count - 1}.
     * @param threads   runs at once.
     * @param settings  the settings of a seed's run.
     * @return the summary, results in seed order.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static Summary run(
        final long firstSeed, final int count, final int threads, final LongFunction<Simulation.Context> settings)
        throws InterruptedException
    {
        final long wallStart = System.nanoTime();
        final ExecutorService pool = Executors.newFixedThreadPool(threads, task ->
        {
            final Thread thread = new Thread(task, "rfs-sim");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            final List<Future<SimulationResult>> runs = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                final long seed = firstSeed + i;
                runs.add(pool.submit(() -> Simulation.run(settings.apply(seed))));
            }
            final List<SimulationResult> results = new ArrayList<>(count);
            for (final Future<SimulationResult> run : runs)
            {
                try
                {
                    results.add(run.get());
                }
                catch (final ExecutionException ex)
                {
                    throw new IllegalStateException("a simulation run failed: " + ex.getCause(), ex.getCause());
                }
            }
            return new Summary(results, threads, System.nanoTime() - wallStart);
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /**
     * What a batch of seeds found.
     *
     * @param results each seed's result, in seed order.
     * @param threads runs at once.
     * @param wallNs  wall-clock time of the batch.
     */
    public record Summary(List<SimulationResult> results, int threads, long wallNs)
    {
        public long virtualNs()
        {
            return results.stream().mapToLong(SimulationResult::virtualNs).sum();
        }

        public List<SimulationResult> failures()
        {
            return results.stream().filter(result -> !result.passed()).toList();
        }

        public Map<FaultKind, Long> faults()
        {
            final Map<FaultKind, Long> total = new EnumMap<>(FaultKind.class);
            for (final SimulationResult result : results)
            {
                result.faults().forEach((kind, n) -> total.merge(kind, n, Long::sum));
            }
            return total;
        }

        public Map<OperationKind, Long> operationKinds()
        {
            final Map<OperationKind, Long> total = new EnumMap<>(OperationKind.class);
            for (final SimulationResult result : results)
            {
                result.operationKinds().forEach((kind, n) -> total.merge(kind, n, Long::sum));
            }
            return total;
        }

        public Map<String, Long> outcomes()
        {
            final Map<String, Long> total = new TreeMap<>();
            for (final SimulationResult result : results)
            {
                result.outcomes().forEach((outcome, n) -> total.merge(outcome, n, Long::sum));
            }
            return total;
        }

        /**
         * Prints the summary: every line but the one marked wall-clock is the same on every run of the same seeds.
         *
         * @param out where.
         */
        public void print(final PrintWriter out)
        {
            for (final SimulationResult failure : failures())
            {
                out.print(failure.describe());
                out.println("  replay: rfs sim --seeds 1 --from " + failure.seed() + " (same settings)");
            }
            out.printf("runs: %d%n", results.size());
            out.printf("virtual time simulated: %.1f s%n", virtualNs() / 1e9);
            final StringBuilder faults = new StringBuilder();
            faults().forEach((kind, n) -> faults.append(' ').append(kind.label()).append('=').append(n));
            out.println("faults injected:" + faults);
            out.printf("operations: %d, acknowledged writes: %d%n",
                results.stream().mapToLong(SimulationResult::operations).sum(),
                results.stream().mapToLong(SimulationResult::acknowledged).sum());
            final StringBuilder kinds = new StringBuilder();
            operationKinds().forEach((kind, n) -> kinds.append(' ').append(kind.label()).append('=').append(n));
            out.println("operations by kind:" + kinds);
            final StringBuilder outcomes = new StringBuilder();
            outcomes().forEach((outcome, n) -> outcomes.append(outcomes.length() == 0 ? " " : ", ").append(outcome)
                .append('=').append(n));
            out.println("operator outcomes:" + outcomes);
            final long cpuNs = results.stream().mapToLong(SimulationResult::cpuNs).sum();
            out.printf("wall-clock: %.1f s on %d threads, %.0f virtual s per wall s, %.0f virtual s per CPU s%n",
                wallNs / 1e9, threads, virtualNs() / (double)Math.max(1, wallNs),
                virtualNs() / (double)Math.max(1, cpuNs));
            final List<SimulationResult> failures = failures();
            out.println(failures.size() + " violations" + (failures.isEmpty() ? "" : ": seeds " +
                failures.stream().map(result -> Long.toString(result.seed())).toList()));
            out.flush();
        }
    }
}
