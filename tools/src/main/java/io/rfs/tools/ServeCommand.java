package io.rfs.tools;

import io.rfs.replication.node.NodeMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code rfs serve --config FILE [--set key=value]...}: runs one node in this process until it is told to stop,
 * exactly as {@link NodeMain} does (the READY and STOPPED lines, SIGTERM a graceful stop, exit status 2 for a bad
 * setting and 1 for a node that cannot start). Every node of {@code rfs cluster start} is one of these.
 * <p>
 * {@link Rfs#main} exits the JVM when a command returns, which would run the shutdown hook that closes the node; so
 * once the node serves, this command never returns: the JVM ends on a signal, after the hook has stopped the node.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = RfsVersion.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Run one node of a cluster in this process until SIGTERM or SIGINT.",
        "Prints 'READY node=<id> address=<host:port>' once it serves and 'STOPPED node=<id>' after a graceful stop.",
        "The settings are listed in docs/CONFIGURATION.md."})
final class ServeCommand implements Callable<Integer>
{
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's properties file.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "A setting that replaces the file's (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException
    {
        final int status = NodeMain.start(config, settings, System.out, System.err);
        if (status != 0)
        {
            return status;
        }
        new CountDownLatch(1).await();
        return status;
    }
}
