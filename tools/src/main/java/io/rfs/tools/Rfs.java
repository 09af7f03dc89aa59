package io.rfs.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code rfs} command line: one subcommand per {@link io.rfs.store.FileStore} operation, run against the
 * single-node store in a local data directory; {@code rfs serve} to run one node of a cluster, and
 * {@code rfs cluster start|stop|status} for a local multi-process cluster under {@code $RFS_HOME/cluster}.
 * <p>
 * Exit codes are part of the contract: {@link #EXIT_OK} on success, {@link #EXIT_FAILED} when the operation
 * failed or verify found problems, and {@link #EXIT_USAGE} when the arguments or options are wrong (picocli's
 * default for parameter errors). A bad value given to an operation, such as an invalid file name or a missing
 * input file, is a failed operation, not a usage error.
 */
@Command(
    name = "rfs",
    mixinStandardHelpOptions = true,
    versionProvider = RfsVersion.class,
    usageHelpAutoWidth = true,
    description = "A checksum-verified file store. Every chunk is re-hashed before a byte of it is returned.",
    footer = {
        "",
        "The options above may also follow the command, e.g. rfs ls --data DIR.",
        "Put -- before a FILE or NAME that starts with '-', e.g. rfs rm -- -old.",
        "Exit codes: 0 success, 1 the operation failed or verify found problems, 2 usage error.",
    })
public final class Rfs implements Runnable
{
    /** The operation succeeded. */
    public static final int EXIT_OK = CommandLine.ExitCode.OK;
    /** The operation failed, or verify found problems. */
    public static final int EXIT_FAILED = CommandLine.ExitCode.SOFTWARE;
    /** The arguments or options are wrong. */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
        PutCommand.class,
        GetCommand.class,
        LsCommand.class,
        StatCommand.class,
        RmCommand.class,
        VerifyCommand.class,
        RepairCommand.class,
        CompactCommand.class,
        ScrubCommand.class,
        RingCommand.class,
        BenchCommand.class,
        ServeCommand.class,
        ClusterCommand.class,
        GatewayCommand.class,
        SimCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    /**
     * Runs when no subcommand is given, which is a usage error.
     */
    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(),
            "missing command: put, get, ls, stat, rm, verify, repair, compact, scrub, ring, bench, serve, cluster or gateway");
    }

    /**
     * Entry point of {@code rfs.jar}; exits the JVM with the command's exit code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs one command line to completion without exiting the JVM.
     *
     * @param args the command line.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        final PrintWriter out = utf8Writer(FileDescriptor.out);
        final PrintWriter err = utf8Writer(FileDescriptor.err);
        try
        {
            return commandLine(out, err, args).execute(args);
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    /**
     * @param out where normal output goes.
     * @param err where errors go.
     * @return the configured command line with every subcommand, ready to {@link CommandLine#execute(String...)}.
     */
    static CommandLine commandLine(final PrintWriter out, final PrintWriter err)
    {
        return commandLine(out, err, new String[0]);
    }

    /**
     * Picocli builds the model of each subcommand it is given by reflection, about 0.15 to 0.25 s of a command's
     * start-up for all fifteen; when the arguments name one, only that one is built. Without one (help, a misspelt
     * command) every subcommand is, so help and "did you mean" still list them all.
     *
     * @param out  where normal output goes.
     * @param err  where errors go.
     * @param args the command line that will be executed.
     * @return the configured command line, ready to {@link CommandLine#execute(String...)} on {@code args}.
     */
    static CommandLine commandLine(final PrintWriter out, final PrintWriter err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new Rfs());
        final String named = subcommandNamed(commandLine.getCommandSpec(), args);
        boolean found = false;
        for (final Class<?> subcommand : SUBCOMMANDS)
        {
            found |= subcommand.getAnnotation(Command.class).name().equals(named);
        }
        for (final Class<?> subcommand : SUBCOMMANDS)
        {
            if (!found || subcommand.getAnnotation(Command.class).name().equals(named))
            {
                commandLine.addSubcommand(subcommand);
            }
        }
        return commandLine
            .setOut(out)
            .setErr(err)
            .setCaseInsensitiveEnumValuesAllowed(true)
            // `rfs --store cluster put ...`: "cluster" is also a subcommand's name, and picocli would take it for one.
            .setAllowSubcommandsAsOptionParameters(true)
            .setParameterExceptionHandler(new UsageErrorHandler())
            .setExecutionExceptionHandler(new FailureHandler());
    }

    /**
     * @return the first argument that is neither an option of the root command nor an option's separate value, or
     * null if there is none before {@code --}.
     */
    static String subcommandNamed(final CommandSpec root, final String... args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (arg.equals("--"))
            {
                return null;
            }
            if (!arg.startsWith("-"))
            {
                return arg;
            }
            final OptionSpec option = arg.contains("=") ? null : root.findOption(arg);
            if (option != null && option.arity().max() > 0)
            {
                i++;
            }
        }
        return null;
    }

    /**
     * Output is UTF-8 whatever the locale, because file names are UTF-8 and JSON must be.
     */
    private static PrintWriter utf8Writer(final FileDescriptor fd)
    {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }
}
