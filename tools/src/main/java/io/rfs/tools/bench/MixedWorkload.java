package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;

import java.io.IOException;

/**
 * {@code mixed}: the clients read and overwrite files of a working set at random, {@link BenchSettings#readRatio()}
 * of the requests reads, all in one phase, so that reads meet writes in progress. The figures are operations per
 * second of each.
 */
public final class MixedWorkload implements Workload
{
    @Override
    public String name()
    {
        return "mixed";
    }

    @Override
    public void run(final BenchTarget target, final ConsistencyLevel level, final BenchSettings settings,
        final BenchResults results) throws IOException, InterruptedException
    {
        final MixedFiles files = new MixedFiles(target, level, settings, Workload.prefix(this, level, settings));
        files.preload();
        settings.runner().run(files.mix(), settings.stop(), null)
            .forEach((operation, measured) -> results.add(new OperationResult(name(), level.name(), operation,
                files.direction(operation), null, settings.clients(), measured, false, null)));
    }
}
