package io.rfs.tools;

import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code rfs cluster stop}: SIGTERM to every running node (each stops gracefully: requests in progress finish, its
 * store is forced and closed), then waits for them to exit; a node still running after its {@code shutdown.timeout}
 * and a margin is killed with SIGKILL, with a warning (it loses nothing acknowledged: recovery finds every forced
 * record).
 */
@Command(name = "stop",
    description = "Stop the local cluster's gateway, then every node (SIGTERM, then SIGKILL if one hangs).")
final class ClusterStopCommand extends ClusterSubcommand
{
    /** Time a node gets beyond its {@code shutdown.timeout} to close its store and exit. */
    static final long STOP_MARGIN_NS = TimeUnit.SECONDS.toNanos(10);

    @Override
    int run(final ClusterDirectory directory) throws IOException
    {
        final ClusterSpec started = existing(directory);
        final FileChannel lock = directory.lock();
        try
        {
            return stop(directory, started);
        }
        finally
        {
            lock.close();
        }
    }

    private int stop(final ClusterDirectory directory, final ClusterSpec started) throws IOException
    {
        final PrintWriter out = out();
        final PrintWriter err = this.spec.commandLine().getErr();
        // The gateway first: its requests in progress finish while the nodes still serve them.
        final Optional<LocalGateway.Stopped> gateway = new LocalGateway(directory).stop(STOP_MARGIN_NS);
        if (gateway.isPresent())
        {
            out.printf("stopped gateway (pid %d)%s%n", gateway.get().pid(),
                gateway.get().killed() ? ", with SIGKILL: it did not stop within " +
                    TimeUnit.NANOSECONDS.toSeconds(STOP_MARGIN_NS) + " s of SIGTERM" : "");
        }
        final Map<LocalNode, ProcessHandle> stopping = new LinkedHashMap<>();
        long waitNs = 0;
        for (final LocalNode node : nodes(started, directory))
        {
            final Optional<ProcessHandle> process = node.running();
            if (process.isPresent())
            {
                waitNs = Math.max(waitNs, shutdownTimeoutNs(node) + STOP_MARGIN_NS);
                process.get().destroy();
                stopping.put(node, process.get());
            }
            else
            {
                node.clearPid();
            }
        }
        if (stopping.isEmpty())
        {
            out.println("no node of the cluster in " + directory.root() + " was running");
            out.flush();
            return Rfs.EXIT_OK;
        }
        final long deadlineNs = System.nanoTime() + waitNs;
        for (final Map.Entry<LocalNode, ProcessHandle> entry : stopping.entrySet())
        {
            awaitStopped(entry.getKey(), entry.getValue(), deadlineNs, waitNs, out, err);
        }
        out.flush();
        err.flush();
        return Rfs.EXIT_OK;
    }

    /**
     * Waits for a node sent SIGTERM to exit, SIGKILLs it (with a warning) if it is still running at the deadline,
     * and forgets its pid.
     *
     * @param node       the node.
     * @param process    its process, sent SIGTERM.
     * @param deadlineNs until when to wait, {@link System#nanoTime()}.
     * @param waitNs     the time it was given, for the warning.
     * @param out        told of a graceful stop.
     * @param err        warned of a SIGKILL.
     * @throws IOException if interrupted, or the pid file cannot be removed.
     */
    static void awaitStopped(
        final LocalNode node, final ProcessHandle process, final long deadlineNs, final long waitNs,
        final PrintWriter out, final PrintWriter err) throws IOException
    {
        if (awaitExit(process, deadlineNs - System.nanoTime()))
        {
            out.printf("stopped node %d (pid %d)%n", node.id(), process.pid());
        }
        else
        {
            process.destroyForcibly();
            awaitExit(process, STOP_MARGIN_NS);
            err.printf("rfs: warning: node %d (pid %d) did not stop within %d s of SIGTERM; killed it " +
                "(SIGKILL). See %s%n", node.id(), process.pid(), TimeUnit.NANOSECONDS.toSeconds(waitNs),
                node.log());
        }
        node.clearPid();
    }

    static boolean awaitExit(final ProcessHandle process, final long timeoutNs) throws IOException
    {
        try
        {
            process.onExit().get(Math.max(0, timeoutNs), TimeUnit.NANOSECONDS);
            return true;
        }
        catch (final TimeoutException ex)
        {
            return !process.isAlive();
        }
        catch (final ExecutionException ex)
        {
            return !process.isAlive();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the nodes to stop", ex);
        }
    }
}
