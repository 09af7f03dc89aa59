package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rfs cluster remove-node} in this JVM, on a cluster directory written by hand (no node runs): what it refuses
 * before it asks the cluster anything.
 */
class ClusterRemoveNodeCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldRefuseANodeRemovedAlreadyNamingWhereItsDataIsKept() throws Exception
    {
        final ClusterDirectory directory = recordCluster();
        Files.createDirectories(directory.nodeData(2));

        assertThat(run("cluster", "remove-node", "2")).isEqualTo(Rfs.EXIT_FAILED);
        assertThat(err.toString()).contains("node 2 was removed already (its data is kept in " +
            directory.nodeData(2));
    }

    @Test
    void shouldRefuseARetireTimeoutBelowOneSecondAsAUsageError() throws Exception
    {
        recordCluster();

        assertThat(run("cluster", "remove-node", "--retire-timeout", "0", "3")).isEqualTo(Rfs.EXIT_USAGE);
        assertThat(err.toString()).contains("--retire-timeout must be at least 1 second");
    }

    private ClusterDirectory recordCluster() throws Exception
    {
        final ClusterDirectory directory = new ClusterDirectory(dir);
        directory.create();
        final ClusterSpec spec = new ClusterSpec(3, 2, "64m",
            new TreeMap<>(Map.of(1, "127.0.0.1:7401", 2, "127.0.0.1:7402", 3, "127.0.0.1:7403")),
            new TreeMap<>(), new TreeMap<>()).withRemoved(2);
        ClusterDirectory.writePrivate(directory.clusterProperties(), spec.toProperties());
        return directory;
    }

    private int run(final String... args)
    {
        final String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data";
        all[args.length + 1] = dir.toString();
        return Rfs.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), all).execute(all);
    }
}
