package io.rfs.tools;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JVM of the local cluster (a node, the gateway) as the operating system sees it: started detached from
 * {@code rfs}, found again through its pid file, and watched through its log.
 * <p>
 * <b>Detached.</b> It must outlive the {@code rfs cluster start} that started it: its output goes to its log file
 * (never a pipe to {@code rfs}), its input is {@code /dev/null}, and where {@code setsid} exists it runs in a session
 * of its own, so the terminal's Ctrl-C or hang-up, sent to {@code rfs}'s process group, does not reach it.
 * {@code setsid} replaces itself with the JVM (it forks only when called by a process-group leader, which a child of
 * the JVM is not), so the pid {@code rfs} sees is the JVM's.
 */
final class DetachedProcess
{
    /** Lines of a log quoted in an error. */
    static final int LOG_TAIL_LINES = 20;
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final File DEV_NULL = new File("/dev/null");

    private DetachedProcess()
    {
    }

    /**
     * Starts {@code java <jvmOptions> -jar <jar> <arguments>}, detached, output appended to {@code log}, and records
     * its pid in {@code pidFile}.
     *
     * @return the process.
     * @throws IOException if it cannot be started.
     */
    static Process start(final Path workingDirectory, final Path jar, final List<String> jvmOptions,
        final List<String> arguments, final Path log, final Path pidFile) throws IOException
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
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (DEV_NULL.exists())
        {
            builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        }
        final Process process = builder.start();
        Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.US_ASCII);
        return process;
    }

    /**
     * The process if it runs: the pid file names a live process whose command line holds {@code marker} (a pid
     * reused by another process after this one died is not taken for it).
     *
     * @param pidFile its pid file.
     * @param marker  text its command line holds, e.g. its properties file's path.
     * @return the process, or empty if it is down.
     * @throws IOException if the pid file cannot be read.
     */
    static Optional<ProcessHandle> running(final Path pidFile, final String marker) throws IOException
    {
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
        return ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false));
    }

    /**
     * @param log        the log.
     * @param fromOffset where to start (the size it had before the latest start).
     * @param prefix     how the line begins, e.g. {@code READY node=1 }.
     * @return the first line written since {@code fromOffset} that starts with {@code prefix}.
     * @throws IOException if the log cannot be read.
     */
    static Optional<String> line(final Path log, final long fromOffset, final String prefix) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r"))
        {
            if (file.length() <= fromOffset)
            {
                return Optional.empty();
            }
            final byte[] bytes = new byte[(int)Math.min(file.length() - fromOffset, 1024 * 1024)];
            file.seek(fromOffset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().filter(line -> line.startsWith(prefix)).findFirst();
        }
    }

    /**
     * @param log        the log.
     * @param fromOffset where in the log to start (the size it had before the latest start).
     * @return the last {@value #LOG_TAIL_LINES} lines of the log from that offset, each indented.
     */
    static String logTail(final Path log, final long fromOffset)
    {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r"))
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
            return "\n  (cannot read " + log + ": " + ex.getMessage() + ")";
        }
    }
}
