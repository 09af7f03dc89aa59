package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;

import java.io.IOException;

/**
 * {@code small}: for each size of {@link BenchSettings#smallSizes()}, the clients put new files of random content
 * for one phase, then get files they put, picked at random, for another. The figure is operations per second.
 */
public final class SmallFilesWorkload implements Workload
{
    /** Its name on the command line and in the results. */
    static final String NAME = "small";

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public void run(final BenchTarget target, final ConsistencyLevel level, final BenchSettings settings,
        final BenchResults results) throws InterruptedException
    {
        final LoadRunner runner = settings.runner();
        for (final long size : settings.smallSizes())
        {
            final String label = SizeLabel.of(size);
            final String prefix = Workload.prefix(this, level, settings) + label + "/";
            final int clients = runner.clients();
            final long[] written = new long[clients];
            final byte[][] buffers = new byte[clients][(int)size];

            runner.run(OperationMix.of("put " + label, (client, sequence, random) ->
                {
                    final byte[] content = buffers[client];
                    random.nextBytes(content);
                    final long bytes = target.put(prefix + client + "-" + written[client], content, level);
                    written[client]++;
                    return bytes;
                }), settings.stop(), null)
                .forEach((operation, measured) -> results.add(new OperationResult(name(), level.name(), operation,
                    OperationResult.Direction.WRITE, null, clients, measured, false, null)));

            if (sum(written) == 0)
            {
                results.note("small " + level + " " + label + ": no put succeeded, so there was nothing to get");
                continue;
            }
            runner.run(OperationMix.of("get " + label, (client, sequence, random) ->
                {
                    int owner = random.nextInt(clients);
                    while (written[owner] == 0)
                    {
                        owner = (owner + 1) % clients;
                    }
                    return target.get(prefix + owner + "-" + random.nextLong(written[owner]), level);
                }), settings.stop(), null)
                .forEach((operation, measured) -> results.add(new OperationResult(name(), level.name(), operation,
                    OperationResult.Direction.READ, null, clients, measured, false, null)));
        }
    }

    private static long sum(final long[] values)
    {
        long sum = 0;
        for (final long value : values)
        {
            sum += value;
        }
        return sum;
    }
}
