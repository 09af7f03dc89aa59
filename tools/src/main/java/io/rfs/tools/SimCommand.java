package io.rfs.tools;

import io.rfs.replication.sim.FaultKind;
import io.rfs.replication.sim.Simulation;
import io.rfs.replication.sim.SimulationRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.Callable;

/**
 * {@code rfs sim}: runs the deterministic simulator ({@link Simulation}) over a range of seeds, in parallel on every
 * core, and prints what it found; exits 1 if any seed broke an invariant. docs/SIMULATOR.md describes it.
 */
@Command(
    name = "sim",
    description = "Run the deterministic cluster simulator over seeds FROM .. FROM+SEEDS-1 and report violations.")
final class SimCommand implements Callable<Integer>
{
    @Option(names = "--seeds", defaultValue = "100", description = "How many seeds to run (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--from", defaultValue = "1", description = "The first seed (default ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--faults", defaultValue = "all", paramLabel = "KINDS",
        description = "Comma-separated fault kinds: loss, duplicate, reorder, partition, crash, rot, force-failure; " +
            "or all, or none (default ${DEFAULT-VALUE}).")
    String faults;

    @Option(names = "--virtual-time", defaultValue = "60s", converter = DurationConverter.class,
        paramLabel = "DURATION", description = "Virtual time of workload and faults per seed, before healing " +
        "(default ${DEFAULT-VALUE}).")
    Duration virtualTime;

    @Option(names = "--threads", description = "Seeds run at once (default: one per core).")
    Integer threads;

    @Option(names = "--events", description = "Print every event of each seed (use with one seed to replay it).")
    boolean events;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        if (seeds < 1)
        {
            throw new ParameterException(spec.commandLine(), "--seeds=" + seeds + " must be at least 1");
        }
        if (virtualTime.isNegative() || virtualTime.isZero())
        {
            throw new ParameterException(spec.commandLine(), "--virtual-time=" + virtualTime + " must be positive");
        }
        final EnumSet<FaultKind> kinds;
        try
        {
            kinds = FaultKind.parse(faults);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--faults: " + ex.getMessage());
        }
        final int width = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (width < 1)
        {
            throw new ParameterException(spec.commandLine(), "--threads=" + width + " must be at least 1");
        }
        final var out = spec.commandLine().getOut();
        final SimulationRunner.Summary summary = SimulationRunner.run(from, seeds, width, seed ->
        {
            final Simulation.Context context = new Simulation.Context().seed(seed).faults(kinds)
                .virtualTimeNs(virtualTime.toNanos());
            if (events)
            {
                context.eventSink(line ->
                {
                    synchronized (out)
                    {
                        out.println("[" + seed + "] " + line);
                    }
                });
            }
            return context;
        });
        summary.print(out);
        return summary.failures().isEmpty() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
    }
}
