package io.rfs.tools;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One node of the local cluster as the operating system sees it: its process (found through its pid file), how it
 * is started detached from {@code rfs}, how its start is watched (the READY line in its log), and the space its
 * data takes.
 * <p>
 * <b>Detached.</b> A node must outlive the {@code rfs cluster start} that started it: its output goes to its log
 * file (never a pipe to {@code rfs}), its input is {@code /dev/null}, and where {@code setsid} exists it runs in a
 * session of its own, so the terminal's Ctrl-C or hang-up, sent to {@code rfs}'s process group, does not reach it.
 * {@code setsid} replaces itself with the JVM (it forks only when called by a process-group leader, which a child
 * of the JVM is not), so the pid {@code rfs} sees is the node's.
 */
final class LocalNode
{
    /** Lines of a node's log quoted in an error. */
    static final int LOG_TAIL_LINES = 20;
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final File DEV_NULL = new File("/dev/null");

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
        final Path pidFile = directory.nodePid(id);
        if (!Files.exists(pidFile))
        {
            return Optional.empty();
        }
        final long pid;
        try
        {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        }
        catch (final NumberFormatException ex)
        {
            return Optional.empty();
        }
        final String config = config().toString();
        return ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .filter(process -> process.info().commandLine().map(line -> line.contains(config)).orElse(false));
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
        final List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID))
        {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (Runtime.version().feature() >= 24)
        {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(Arrays.asList("-jar", jar.toString(), "serve", "--config", config().toString()));

        final Path log = log();
        final long logOffset = Files.exists(log) ? Files.size(log) : 0;
        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(directory.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (DEV_NULL.exists())
        {
            builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        }
        final Process process = builder.start();
        Files.writeString(directory.nodePid(id), process.pid() + "\n", StandardCharsets.US_ASCII);
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
     * @return the last {@value #LOG_TAIL_LINES} lines of the log from that offset, each indented.
     */
    String logTail(final long fromOffset)
    {
        try (RandomAccessFile file = new RandomAccessFile(log().toFile(), "r"))
        {
            final long start = Math.max(fromOffset, file.length() - 64 * 1024);
            final byte[] bytes = new byte[(int)(file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            final List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            final StringBuilder tail = new StringBuilder();
            for (final String line : lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()))
            {
                tail.append("\n  ").append(line);
            }
            return tail.length() == 0 ? "\n  (the log is empty)" : tail.toString();
        }
        catch (final IOException ex)
        {
            return "\n  (cannot read " + log() + ": " + ex.getMessage() + ")";
        }
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
            final String ready = "READY node=" + id + " ";
            try (RandomAccessFile file = new RandomAccessFile(log().toFile(), "r"))
            {
                if (file.length() <= logOffset)
                {
                    return false;
                }
                final byte[] bytes = new byte[(int)Math.min(file.length() - logOffset, 1024 * 1024)];
                file.seek(logOffset);
                file.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8).lines().anyMatch(line -> line.startsWith(ready));
            }
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
