package io.rfs.replication.node;

import io.rfs.store.ConfigurationException;
import io.rfs.store.StoreLockedException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one node in this JVM until it is told to stop: {@code rfs serve --config FILE} and every node of
 * {@code rfs cluster start} run this.
 * <pre>
 * java ... io.rfs.replication.node.NodeMain --config node-1.properties [--set key=value]...
 * </pre>
 * Prints {@code READY node=<id> address=<host:port>} (then {@code http=<host:port>} if it serves HTTP) on
 * standard output once it serves, and
 * {@code STOPPED node=<id>} once a graceful stop (SIGTERM, SIGINT) has closed it. Exit status: 2 for a usage or
 * configuration error (the message names the setting), 1 if the node cannot start (the data directory is locked by
 * another process, the store cannot be recovered); after a signal the JVM's own status (143 for SIGTERM).
 */
public final class NodeMain
{
    /** Exit status of a bad command line or setting. */
    public static final int EXIT_USAGE = 2;
    /** Exit status of a node that could not start. */
    public static final int EXIT_FAILURE = 1;

    private NodeMain()
    {
    }

    public static void main(final String[] args)
    {
        final int status = run(args, System.out, System.err);
        if (status != 0)
        {
            System.exit(status);
        }
    }

    /**
     * Starts the node and returns while its threads serve on.
     *
     * @param args command line.
     * @param out  where the READY and STOPPED lines go.
     * @param err  where errors go.
     * @return 0 if the node is serving, else the exit status.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        Path config = null;
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--config".equals(arg) && i + 1 < args.length)
            {
                config = Path.of(args[++i]);
            }
            else if ("--set".equals(arg) && i + 1 < args.length && args[i + 1].indexOf('=') > 0)
            {
                final String setting = args[++i];
                final int equals = setting.indexOf('=');
                overrides.put(setting.substring(0, equals).trim(), setting.substring(equals + 1));
            }
            else
            {
                return usage(err, "unexpected argument: " + arg);
            }
        }
        if (config == null)
        {
            return usage(err, "--config FILE is required");
        }
        return start(config, overrides, out, err);
    }

    /**
     * Starts the node of a properties file and returns while its threads serve on, until the JVM is told to stop
     * (the server closes on shutdown and then prints the STOPPED line). {@code rfs serve} calls this.
     *
     * @param config    the node's properties file.
     * @param overrides settings that replace the file's ({@code --set key=value}), possibly empty.
     * @param out       where the READY and STOPPED lines go.
     * @param err       where errors go.
     * @return 0 if the node is serving, {@link #EXIT_USAGE} for a bad setting, {@link #EXIT_FAILURE} if it cannot
     * start.
     */
    public static int start(
        final Path config, final Map<String, String> overrides, final PrintStream out, final PrintStream err)
    {
        try
        {
            final NodeContext context = NodeProperties.load(config, overrides);
            final NodeServer server = NodeServer.start(context);
            final int nodeId = context.nodeId();
            server.closeOnShutdown(() ->
            {
                out.println("STOPPED node=" + nodeId);
                out.flush();
            });
            final InetSocketAddress http = server.httpAddress();
            out.println("READY node=" + nodeId + " address=" + context.address() +
                (http == null ? "" : " http=" + http.getHostString() + ":" + http.getPort()));
            out.flush();
            return 0;
        }
        catch (final ConfigurationException ex)
        {
            err.println("rfs node: bad configuration in " + config + ": " + ex.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        catch (final StoreLockedException ex)
        {
            err.println("rfs node: " + ex.getMessage());
            err.flush();
            return EXIT_FAILURE;
        }
        catch (final IOException | RuntimeException ex)
        {
            err.println("rfs node: cannot start: " + ex);
            err.flush();
            return EXIT_FAILURE;
        }
    }

    private static int usage(final PrintStream err, final String problem)
    {
        err.println("rfs node: " + problem);
        err.println("usage: NodeMain --config FILE [--set key=value]...");
        return EXIT_USAGE;
    }
}
