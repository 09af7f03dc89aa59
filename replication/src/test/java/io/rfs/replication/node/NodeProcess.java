package io.rfs.replication.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * A node in a child JVM, started with {@link NodeMain} on a properties file, for system tests. Its standard error
 * goes to a file beside the config; its standard output is read line by line (the READY and STOPPED lines).
 */
final class NodeProcess
{
    private final Path config;
    private final Path stderr;
    private final Process process;
    private final BufferedReader stdout;

    private NodeProcess(final Path config, final Path stderr, final Process process)
    {
        this.config = config;
        this.stderr = stderr;
        this.process = process;
        this.stdout = process.inputReader(StandardCharsets.UTF_8);
    }

    /**
     * Starts a node and waits for its READY line (the caller's {@code @Timeout} bounds the wait).
     *
     * @param config its properties file.
     * @param run    a name for this run, for the stderr file.
     * @return the running node.
     */
    static NodeProcess start(final Path config, final String run) throws IOException
    {
        final String java = ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NodeMain.class.getName());
        command.add("--config");
        command.add(config.toString());
        final Path stderr = config.resolveSibling(config.getFileName() + "." + run + ".stderr");
        final Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        final NodeProcess node = new NodeProcess(config, stderr, process);
        final String line = node.stdout.readLine();
        if (line == null || !line.startsWith("READY "))
        {
            fail("node of " + config + " did not start: " + line + "; stderr: " + node.stderr());
        }
        return node;
    }

    /**
     * @return the child process.
     */
    Process process()
    {
        return process;
    }

    /**
     * SIGKILL: no shutdown hook runs.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * SIGTERM, then waits for the STOPPED line and the exit.
     *
     * @return the line after READY: {@code STOPPED node=<id>}, or null if none came.
     */
    String terminate() throws IOException, InterruptedException
    {
        process.toHandle().destroy(); // Process.destroy would also close our end of its stdout

        final String line = stdout.readLine();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("node of " + config + " did not stop on SIGTERM; stderr: " + stderr());
        }
        return line;
    }

    String stderr() throws IOException
    {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    /**
     * Kills the process if a test left it running.
     */
    void destroy()
    {
        process.destroyForcibly();
    }

    /**
     * @return the root pom's {@code rfs.jvm.flags}, which surefire passes as a system property; failing that, the
     * flags this JVM was started with.
     */
    static List<String> jvmFlags()
    {
        final String flags = System.getProperty("rfs.jvm.flags");
        if (flags != null && !flags.isBlank())
        {
            return Arrays.asList(flags.trim().split("\\s+"));
        }
        final List<String> inherited = new ArrayList<>();
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access"))
            {
                inherited.add(argument);
            }
        }
        return inherited;
    }
}
