package io.rfs.tools;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every command takes: where the data directory is, how much to print, and whether to show stack
 * traces.
 */
final class CommonOptions
{
    /** Environment variable naming the data directory when {@code --data} is not given. */
    static final String RFS_HOME_ENV = "RFS_HOME";
    /** Data directory under the user's home when neither {@code --data} nor {@link #RFS_HOME_ENV} is set. */
    static final String DATA_DIRECTORY_DEFAULT = ".rfs";

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Data directory, created on first use (default: $RFS_HOME, else ~/.rfs).")
    Path data;

    @Option(
        names = "--store",
        paramLabel = "MODE",
        description = "Which store: auto (the default: the cluster of `rfs cluster start` if there is one, else an " +
            "existing single-node store in DIR, else the embedded cluster), local (one node, no replication), " +
            "embedded (3 nodes in this process, N=3, data under DIR/embedded) or cluster (over TCP).")
    StoreMode store;

    @Option(
        names = {"-q", "--quiet"},
        description = "Print no progress bar and no summary; only errors, the data asked for and problems.")
    boolean quiet;

    @Option(names = "--debug", description = "Print the stack trace of an unexpected error.")
    boolean debug;

    /**
     * The data directory: {@code --data}, else {@code $RFS_HOME}, else {@code .rfs} under {@code $HOME} (the
     * environment variable, so that a caller can point HOME elsewhere; the JVM's {@code user.home} comes from the
     * password database instead).
     *
     * @return the data directory to open.
     */
    Path dataDirectory()
    {
        if (data != null)
        {
            return data;
        }
        final String rfsHome = System.getenv(RFS_HOME_ENV);
        if (rfsHome != null && !rfsHome.isEmpty())
        {
            return Path.of(rfsHome);
        }
        final String home = System.getenv("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"))
            .resolve(DATA_DIRECTORY_DEFAULT);
    }
}
