package io.rfs.tools;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.List;

/**
 * Reports a usage error in the manner of other Unix tools: one line naming the mistake, suggestions for a
 * mistyped command or option, and where to find help, rather than the whole usage text. Exits with
 * {@link Rfs#EXIT_USAGE}.
 */
final class UsageErrorHandler implements IParameterExceptionHandler
{
    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println("rfs: " + message(ex));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return Rfs.EXIT_USAGE;
    }

    private static String message(final ParameterException ex)
    {
        if (ex instanceof UnmatchedArgumentException && ex.getCommandLine().getCommand() instanceof Rfs)
        {
            final List<String> unmatched = ((UnmatchedArgumentException)ex).getUnmatched();
            if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-"))
            {
                return "unknown command '" + unmatched.get(0) + "'; the commands are " +
                    String.join(", ", ex.getCommandLine().getSubcommands().keySet());
            }
        }
        return ex.getMessage();
    }
}
