package io.rfs.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One node of the local cluster as the operating system sees it: its process (found through its pid file), how it
 * is started ({@link DetachedProcess}), how its start is watched (the READY line in its log), and the space its
 * data takes.
 */
final class LocalNode
{
    private final int id;
    private final ClusterDirectory directory;

    LocalNode(final int id, final ClusterDirectory directory)
    {
        this.id = id;
        this.directory = directory;
    }

    int id()
    {
        return id;
    }

    Path dataDirectory()
    {
        return directory.nodeData(id);
    }

    Path config()
    {
        return directory.nodeConfig(id);
    }

    Path log()
    {
        return directory.nodeLog(id);
    }

    /**
     * The node's process if it runs: the pid file names a live process whose command line names this node's
     * properties file (a pid reused by another process after the node died is not taken for the node).
     *
     * @return the process, or empty if the node is down.
     * @throws IOException if the pid file cannot be read.
     */
    Optional<ProcessHandle> running() throws IOException
    {
        return DetachedProcess.running(directory.nodePid(id), config().toString());
    }

    /**
     * Starts the node: {@code java <jvmOptions> -jar <jar> serve --config <its properties file>}, detached, output
     * appended to its log, and records its pid.
     *
     * @param jar        the rfs jar.
     * @param jvmOptions e.g. {@code -Xmx128m}.
     * @return the starting node, to watch with {@link Start#isReady()} until it is ready.
     * @throws IOException if the process cannot be started.
     */
    Start start(final Path jar, final List<String> jvmOptions) throws IOException
    {
        final Path log = log();
        final long logOffset = Files.exists(log) ? Files.size(log) : 0;
        final Process process = DetachedProcess.start(directory.root(), jar, jvmOptions,
            List.of("serve", "--config", config().toString()), log, directory.nodePid(id));
        return new Start(process, logOffset);
    }

    /**
     * Forgets the pid of a node that is not running.
     *
     * @throws IOException if the pid file cannot be removed.
     */
    void clearPid() throws IOException
    {
        Files.deleteIfExists(directory.nodePid(id));
    }

    /**
     * @return bytes the data directory takes on disk (allocated blocks, as {@code du} counts them: segment files are
     * sparse, so their length says little), or the sum of file lengths where {@code du} cannot be run; 0 if there
     * is no data directory yet.
     * @throws IOException if the directory cannot be walked.
     */
    long diskBytes() throws IOException
    {
        final Path data = dataDirectory();
        if (!Files.isDirectory(data))
        {
            return 0;
        }
        try
        {
            final Process du = new ProcessBuilder("du", "-sk", data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String output;
            try (InputStream in = du.getInputStream())
            {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (du.waitFor(10, TimeUnit.SECONDS) && du.exitValue() == 0)
            {
                return Long.parseLong(output.trim().split("\\s+")[0]) * 1024;
            }
            du.destroyForcibly();
        }
        catch (final IOException | NumberFormatException ex)
        {
            // No du here: fall back to file lengths below.
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        long bytes = 0;
        try (Stream<Path> files = Files.walk(data))
        {
            for (final Path file : (Iterable<Path>)files.filter(Files::isRegularFile)::iterator)
            {
                bytes += Files.size(file);
            }
        }
        return bytes;
    }

    /**
     * @param fromOffset where in the log to start (the size it had before the latest start).
     * @return the last {@value DetachedProcess#LOG_TAIL_LINES} lines of the log from that offset, each indented.
     */
    String logTail(final long fromOffset)
    {
        return DetachedProcess.logTail(log(), fromOffset);
    }

    /**
     * A node being started: watched until its READY line appears in its log or it exits.
     */
    final class Start
    {
        private final Process process;
        private final long logOffset;

        Start(final Process process, final long logOffset)
        {
            this.process = process;
            this.logOffset = logOffset;
        }

        Process process()
        {
            return process;
        }

        LocalNode node()
        {
            return LocalNode.this;
        }

        /**
         * @return true once the node printed its READY line.
         * @throws IOException if the log cannot be read.
         */
        boolean isReady() throws IOException
        {
            return DetachedProcess.line(log(), logOffset, "READY node=" + id + " ").isPresent();
        }

        /**
         * @return the end of the log written since this start.
         */
        String logTail()
        {
            return LocalNode.this.logTail(logOffset);
        }
    }
}
