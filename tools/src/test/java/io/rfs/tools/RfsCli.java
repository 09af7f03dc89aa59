package io.rfs.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code rfs.jar} in child JVMs, as a user would, against one data directory.
 * <p>
 * The jar is the one {@code mvn verify} packaged, named by the system property {@code rfs.jar}. Every child gets
 * a private HOME and no RFS_HOME, so that nothing outside the test's directory is touched, and is killed if it
 * outlives {@link #TIMEOUT_S}. Output goes to files rather than pipes, so a child never blocks on a full pipe.
 */
final class RfsCli
{
    /** How long one command may take before it counts as hung. */
    static final long TIMEOUT_S = 120;

    private final Path dir;
    private final Path data;
    private final Path home;
    private String store = "local";
    private String heap = "256m";
    private int runs;

    /**
     * @param dir a scratch directory for this test: the data directory, HOME and captured output go under it.
     * @throws IOException if the directories cannot be made.
     */
    RfsCli(final Path dir) throws IOException
    {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.home = Files.createDirectories(dir.resolve("home"));
    }

    /**
     * @param dir  a scratch directory for this test.
     * @param data the data directory to pass as {@code --data}.
     * @throws IOException if the directories cannot be made.
     */
    RfsCli(final Path dir, final Path data) throws IOException
    {
        this.dir = dir;
        this.data = data;
        this.home = Files.createDirectories(dir.resolve("home"));
    }

    /**
     * @param mode the {@code --store} every command is given: {@code local} unless a test says otherwise, so that
     *             tests of one node's files see them where FORMATS.md puts them.
     * @return this.
     */
    RfsCli store(final String mode)
    {
        this.store = mode;
        return this;
    }

    /**
     * @param maxHeap the {@code -Xmx} of every command's JVM, e.g. {@code 64m}; default {@code 256m}.
     * @return this.
     */
    RfsCli heap(final String maxHeap)
    {
        this.heap = maxHeap;
        return this;
    }

    /**
     * @return the data directory every command is given.
     */
    Path data()
    {
        return data;
    }

    /**
     * @return the HOME the children see.
     */
    Path home()
    {
        return home;
    }

    /**
     * Runs {@code rfs --data DATA ARGS...} with no input.
     *
     * @param args the command and its arguments.
     * @return how it ended.
     * @throws Exception if it cannot be run or times out.
     */
    Result run(final String... args) throws Exception
    {
        return runWithInput(null, args);
    }

    /**
     * Runs {@code rfs --data DATA ARGS...} with standard input read from a file.
     *
     * @param stdin the file to feed as standard input, or null for none.
     * @param args  the command and its arguments.
     * @return how it ended.
     * @throws Exception if it cannot be run or times out.
     */
    Result runWithInput(final Path stdin, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add("--data");
        command.add(data.toString());
        command.add("--store");
        command.add(store);
        command.addAll(Arrays.asList(args));
        return runRaw(stdin, Map.of(), command);
    }

    /**
     * Runs {@code rfs ARGS...} exactly as given (no {@code --data}).
     *
     * @param stdin the file to feed as standard input, or null for none.
     * @param env   extra environment variables for the child.
     * @param args  the whole command line after {@code rfs}.
     * @return how it ended.
     * @throws Exception if it cannot be run or times out.
     */
    Result runRaw(final Path stdin, final Map<String, String> env, final List<String> args) throws Exception
    {
        final int run = ++runs;
        final Path stdout = dir.resolve("run-" + run + ".out");
        final Path stderr = dir.resolve("run-" + run + ".err");
        final ProcessBuilder builder = processBuilder(env, args)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        if (stdin != null)
        {
            builder.redirectInput(stdin.toFile());
        }
        final Process process = builder.start();
        if (stdin == null)
        {
            process.getOutputStream().close();
        }
        if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor();
            throw new AssertionError("rfs " + String.join(" ", args) + " did not finish in " + TIMEOUT_S + " s");
        }
        return new Result(
            args, process.exitValue(), Files.readAllBytes(stdout), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code rfs --data DATA ARGS...} with standard input a pipe the caller writes and closes, for tests
     * that need a command to stay running.
     *
     * @param args the command and its arguments.
     * @return the running process; its output goes to files in the scratch directory.
     * @throws IOException if it cannot be started.
     */
    Process start(final String... args) throws IOException
    {
        final int run = ++runs;
        final List<String> command = new ArrayList<>();
        command.add("--data");
        command.add(data.toString());
        command.add("--store");
        command.add(store);
        command.addAll(Arrays.asList(args));
        return processBuilder(Map.of(), command)
            .redirectOutput(dir.resolve("run-" + run + ".out").toFile())
            .redirectError(dir.resolve("run-" + run + ".err").toFile())
            .start();
    }

    private ProcessBuilder processBuilder(final Map<String, String> env, final List<String> args)
    {
        final String jar = System.getProperty("rfs.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar)))
        {
            throw new IllegalStateException("system property rfs.jar must name the packaged jar, is " + jar +
                "; run these tests with mvn verify");
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        // The embedded cluster's shared-memory inboxes and storage rings are direct buffers (about 500 MiB for
        // three nodes and a client), which the JVM would otherwise cap at the heap's size.
        command.add("-XX:MaxDirectMemorySize=1g");
        // As the ./rfs launcher: chunk-sized arrays are not humongous objects in 4 MiB regions.
        command.add("-XX:G1HeapRegionSize=4m");
        if (Runtime.version().feature() >= 24)
        {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-jar");
        command.add(jar);
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        final Map<String, String> environment = builder.environment();
        environment.remove("RFS_HOME");
        environment.put("HOME", home.toString());
        environment.put("LC_ALL", "C.UTF-8");
        environment.putAll(env);
        return builder;
    }

    /**
     * How one command ended.
     *
     * @param args     the command line after {@code rfs}.
     * @param exitCode its exit code.
     * @param stdout   what it wrote to standard output.
     * @param stderr   what it wrote to standard error.
     */
    record Result(List<String> args, int exitCode, byte[] stdout, String stderr)
    {
        /**
         * @param expected the exit code the command should have ended with.
         * @return this, for chaining.
         * @throws AssertionError naming the command, its exit code and its output if it ended otherwise.
         */
        Result expectExit(final int expected)
        {
            if (exitCode != expected)
            {
                throw new AssertionError("expected exit " + expected + " from " + this);
            }
            return this;
        }

        /**
         * @return standard output as UTF-8 text.
         */
        String out()
        {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString()
        {
            return "rfs " + String.join(" ", args) + " -> exit " + exitCode + "\nstdout: " +
                (stdout.length > 4096 ? stdout.length + " bytes" : out()) + "\nstderr: " + stderr;
        }
    }
}
