package io.rfs.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The durable write bandwidth of a directory measured the way {@code shared/tools/limits.sh}'s {@code disk} group
 * does: a file of random bytes, read once into the page cache, copied by {@code dd bs=1M conv=fdatasync} (its
 * {@code dd.1} row) or by three such {@code dd}s at once ({@code dd.3par}, as N = 3 replicas on one disk write), each
 * after a {@code sync}, timed from start to the last exit. Copies are deleted after each measurement.
 */
final class DurableWriteBandwidth
{
    private static final long DD_TIMEOUT_S = 300;

    private final Path dir;
    private final Path source;
    private final long sourceBytes;

    /**
     * Writes the source file ({@code mebibytes} MiB of seeded random bytes) into {@code dir} and reads it back so
     * that it is in the page cache, as limits.sh does with its random file.
     */
    DurableWriteBandwidth(final Path dir, final int mebibytes, final long seed) throws Exception
    {
        this.dir = Files.createDirectories(dir);
        this.source = dir.resolve("random.bin");
        this.sourceBytes = (long)mebibytes << 20;
        TestData.writeRandomMebibytes(source, mebibytes, seed);
        TestData.sha256(source);
    }

    /**
     * {@code dd.1}: one copy.
     *
     * @return MiB per second.
     */
    double oneWriter() throws Exception
    {
        return writers(1);
    }

    /**
     * {@code dd.3par}: three copies written at the same time; all their bytes over the time until the last ends.
     *
     * @return MiB per second.
     */
    double threeParallelWriters() throws Exception
    {
        return writers(3);
    }

    private double writers(final int count) throws Exception
    {
        run(List.of("sync"));
        final long startNs = System.nanoTime();
        final List<Process> dds = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            dds.add(new ProcessBuilder("dd", "if=" + source, "of=" + copy(i), "bs=1M", "conv=fdatasync")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dd-" + i + ".out").toFile()).start());
        }
        try
        {
            for (final Process dd : dds)
            {
                awaitSuccess(dd, "dd");
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            return count * (sourceBytes / (1024.0 * 1024)) / seconds;
        }
        finally
        {
            dds.forEach(Process::destroyForcibly);
            for (int i = 0; i < count; i++)
            {
                Files.deleteIfExists(copy(i));
            }
        }
    }

    private Path copy(final int i)
    {
        return dir.resolve("copy-" + i);
    }

    private static void run(final List<String> command) throws Exception
    {
        awaitSuccess(new ProcessBuilder(command).inheritIO().start(), String.join(" ", command));
    }

    private static void awaitSuccess(final Process process, final String what) throws InterruptedException,
        IOException
    {
        if (!process.waitFor(DD_TIMEOUT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IOException(what + " did not finish in " + DD_TIMEOUT_S + " s");
        }
        if (process.exitValue() != 0)
        {
            throw new IOException(what + " exited " + process.exitValue());
        }
    }
}
