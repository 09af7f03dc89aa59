package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;

import java.io.IOException;
import java.util.Map;

/**
 * {@code large}: puts one file of {@link BenchSettings#largeSize()} random bytes, streamed from a generator so that
 * no more than the client's put window is in memory, then gets it back (every chunk verified) into nothing. The
 * figure is bytes per second; one file is one stream, so {@code --clients} does not apply.
 */
public final class LargeFileWorkload implements Workload
{
    @Override
    public String name()
    {
        return "large";
    }

    @Override
    public void run(final BenchTarget target, final ConsistencyLevel level, final BenchSettings settings,
        final BenchResults results) throws IOException, InterruptedException
    {
        final String name = Workload.prefix(this, level, settings) + "file";
        final long size = settings.largeSize();
        final LoadRunner runner = new LoadRunner(1, settings.seed());
        final String label = SizeLabel.of(size);

        final Map<String, Measurement> put = runner.run(OperationMix.of("put " + label,
            (client, sequence, random) -> target.put(name, new RandomInputStream(size, random.nextLong()), level)),
            StopCondition.afterOperations(1), null);
        add(results, level, put, OperationResult.Direction.WRITE);
        if (put.values().iterator().next().operations() == 0)
        {
            results.note("large " + level + ": the put failed, so there was nothing to get: " +
                put.values().iterator().next().firstError());
            return;
        }
        final Map<String, Measurement> get = runner.run(OperationMix.of("get " + label,
            (client, sequence, random) -> target.get(name, level)), StopCondition.afterOperations(1), null);
        add(results, level, get, OperationResult.Direction.READ);
    }

    private void add(final BenchResults results, final ConsistencyLevel level,
        final Map<String, Measurement> measured, final OperationResult.Direction direction)
    {
        measured.forEach((operation, measurement) -> results.add(new OperationResult(
            name(), level.name(), operation, direction, null, 1, measurement, true, null)));
    }
}
