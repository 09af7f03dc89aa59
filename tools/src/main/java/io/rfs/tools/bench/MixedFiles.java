package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;

import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The working set of the mixed and failover workloads: {@link BenchSettings#mixedFiles()} files of
 * {@link BenchSettings#mixedSize()} bytes, written once untimed, then read and overwritten at random in the
 * proportion {@link BenchSettings#readRatio()}.
 */
final class MixedFiles
{
    private final BenchTarget target;
    private final ConsistencyLevel level;
    private final BenchSettings settings;
    private final String prefix;
    private final String label;

    /**
     * @param target   the cluster.
     * @param level    W and R.
     * @param settings the run's settings.
     * @param prefix   the names' prefix.
     */
    MixedFiles(final BenchTarget target, final ConsistencyLevel level, final BenchSettings settings,
        final String prefix)
    {
        this.target = target;
        this.level = level;
        this.settings = settings;
        this.prefix = prefix;
        this.label = SizeLabel.of(settings.mixedSize());
    }

    /**
     * Writes every file of the working set once, with the run's clients.
     *
     * @throws IOException          if a put failed: a read of that file would fail too.
     * @throws InterruptedException if interrupted.
     */
    void preload() throws IOException, InterruptedException
    {
        final AtomicLong next = new AtomicLong();
        final byte[][] buffers = buffers();
        final Map<String, Measurement> measured = settings.runner().run(OperationMix.of("preload",
            (client, sequence, random) ->
            {
                random.nextBytes(buffers[client]);
                return target.put(name(next.getAndIncrement()), buffers[client], level);
            }), StopCondition.afterOperations(settings.mixedFiles()), null);
        final Measurement preload = measured.get("preload");
        if (preload.errors() > 0)
        {
            throw new IOException("could not write the " + settings.mixedFiles() + " files to read (" +
                preload.errors() + " puts failed at " + level + "): " + preload.firstError());
        }
    }

    /**
     * @return reads and overwrites of random files of the set, in the settings' proportion.
     */
    OperationMix mix()
    {
        final byte[][] buffers = buffers();
        final int files = settings.mixedFiles();
        final OperationMix mix = new OperationMix();
        if (settings.readRatio() > 0)
        {
            mix.add(readName(), settings.readRatio(), this::read);
        }
        if (settings.readRatio() < 1)
        {
            mix.add(writeName(), 1 - settings.readRatio(), (client, sequence, random) ->
            {
                random.nextBytes(buffers[client]);
                return target.put(name(random.nextInt(files)), buffers[client], level);
            });
        }
        return mix;
    }

    /**
     * @return reads of random files of the set, nothing else.
     */
    OperationMix reads()
    {
        return OperationMix.of(readName(), this::read);
    }

    private long read(final int client, final long sequence, final SplittableRandom random)
        throws IOException
    {
        return target.get(name(random.nextInt(settings.mixedFiles())), level);
    }

    /**
     * @return the name of the read operation in the results, e.g. {@code get 64KiB}.
     */
    String readName()
    {
        return "get " + label;
    }

    /**
     * @return the name of the write operation in the results, e.g. {@code put 64KiB}.
     */
    String writeName()
    {
        return "put " + label;
    }

    /**
     * @param operation a name from {@link #mix()}.
     * @return whether it reads or writes.
     */
    OperationResult.Direction direction(final String operation)
    {
        return operation.equals(readName()) ? OperationResult.Direction.READ : OperationResult.Direction.WRITE;
    }

    private String name(final long index)
    {
        return prefix + index;
    }

    private byte[][] buffers()
    {
        return new byte[settings.clients()][(int)settings.mixedSize()];
    }
}
