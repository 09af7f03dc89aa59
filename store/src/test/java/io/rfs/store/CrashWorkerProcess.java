package io.rfs.store;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CrashWorker} running in its own JVM, its stdout read line by line on a daemon thread so that the test
 * thread can wait for output with a deadline and never block on the pipe. Its stdout and stderr are kept in files
 * beside the data directory.
 */
final class CrashWorkerProcess implements AutoCloseable
{
    /**
     * The flags the store needs on JDK 17+, as the root pom's {@code rfs.jvm.flags} gives them to surefire; keep
     * the two in step.
     */
    static final List<String> JVM_FLAGS = List.of(
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.util.zip=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED");
    /** Exit status of a process killed by SIGKILL, as {@link Process#exitValue()} reports it. */
    static final int SIGKILL_EXIT_STATUS = 128 + 9;
    private static final String END_OF_OUTPUT = "\u0000end of output";

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private boolean ended;

    private CrashWorkerProcess(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        final Thread reader = new Thread(this::pumpStdout, "crash-worker-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a worker.
     *
     * @param mode          what it does.
     * @param dataDirectory the store's directory.
     * @param seed          seed of the content.
     * @param firstIndex    index of its first put.
     * @param logPrefix     {@code .stdout} and {@code .stderr} appended name the files that keep its output.
     * @return the running worker.
     * @throws IOException if the JVM cannot be started.
     */
    static CrashWorkerProcess start(
        final CrashWorker.Mode mode,
        final Path dataDirectory,
        final long seed,
        final int firstIndex,
        final Path logPrefix) throws IOException
    {
        final Path stdout = Path.of(logPrefix + ".stdout");
        final Path stderr = Path.of(logPrefix + ".stderr");
        final String java = ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JVM_FLAGS);
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashWorker.class.getName());
        command.add(mode.name());
        command.add(dataDirectory.toString());
        command.add(Long.toString(seed));
        command.add(Integer.toString(firstIndex));
        final Process process = new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .start();
        return new CrashWorkerProcess(process, stdout, stderr);
    }

    /**
     * @return the worker's process id.
     */
    long pid()
    {
        return process.pid();
    }

    /**
     * Waits for the next line of output.
     *
     * @param deadlineNs {@link System#nanoTime()} by which a line must come.
     * @return the line, or null if the output ended (the worker is dead).
     * @throws InterruptedException if the wait is interrupted.
     * @throws AssertionError       if the deadline passes first.
     */
    String nextLine(final long deadlineNs) throws InterruptedException
    {
        if (ended)
        {
            return null;
        }
        final String line = lines.poll(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null)
        {
            throw new AssertionError("worker pid " + pid() + " printed nothing before the deadline; stderr: " +
                stderr());
        }
        if (line.equals(END_OF_OUTPUT))
        {
            ended = true;
            return null;
        }
        return line;
    }

    /**
     * Waits, without sleeping, until {@code delayNs} has passed or the worker has died, whichever is first.
     *
     * @param delayNs how long.
     * @return true if the worker is still alive.
     */
    boolean isAliveAfter(final long delayNs)
    {
        final long deadlineNs = System.nanoTime() + delayNs;
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (!process.isAlive())
            {
                return false;
            }
            Thread.onSpinWait();
        }
        return process.isAlive();
    }

    /**
     * Kills the worker with SIGKILL and waits for it to be gone. The signal goes through its {@link ProcessHandle}:
     * {@link Process#destroyForcibly()} would also close this end of the stdout pipe and lose the lines the worker
     * printed that were not read yet, and the test must see every acknowledgement.
     *
     * @param timeoutNs how long to wait for it to exit.
     * @return its exit status.
     * @throws InterruptedException if the wait is interrupted.
     */
    int kill(final long timeoutNs) throws InterruptedException
    {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(timeoutNs, TimeUnit.NANOSECONDS))
        {
            throw new AssertionError("worker pid " + pid() + " still alive after SIGKILL");
        }
        return process.exitValue();
    }

    /**
     * @param deadlineNs {@link System#nanoTime()} by which the output must have ended.
     * @return the lines printed and not yet read; call after the worker died.
     * @throws InterruptedException if the wait is interrupted.
     */
    List<String> drain(final long deadlineNs) throws InterruptedException
    {
        final List<String> rest = new ArrayList<>();
        for (String line = nextLine(deadlineNs); line != null; line = nextLine(deadlineNs))
        {
            rest.add(line);
        }
        return rest;
    }

    /**
     * @return what the worker wrote to stderr so far.
     */
    String stderr()
    {
        try
        {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(cannot read " + stderr + ": " + ex + ")";
        }
    }

    /**
     * Kills the worker if it still runs, so that a failed test leaves no process behind.
     */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void pumpStdout()
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            BufferedWriter transcript = Files.newBufferedWriter(stdout, StandardCharsets.US_ASCII))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                transcript.write(line);
                transcript.newLine();
                lines.add(line);
            }
        }
        catch (final IOException ignore)
        {
            // Treated as the end of output, which it is once the worker is dead.
        }
        finally
        {
            lines.add(END_OF_OUTPUT);
        }
    }
}
