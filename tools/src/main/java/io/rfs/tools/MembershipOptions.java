package io.rfs.tools;

import picocli.CommandLine.Option;

/**
 * The options {@code rfs cluster add-node}, {@code remove-node} and {@code set-weight} share.
 */
final class MembershipOptions
{
    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the plan (and the outcome) as JSON.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long to wait for the change to commit (and a new node to be ready) (default " +
            "${DEFAULT-VALUE}).")
    int timeoutS;

    /**
     * @param command the command the options belong to.
     * @throws picocli.CommandLine.ParameterException if a value is out of range.
     */
    void check(final ClusterSubcommand command)
    {
        if (timeoutS < 1)
        {
            throw command.usageError("--timeout must be at least 1 second, is " + timeoutS);
        }
    }
}
