package io.rfs.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rfs ring}: the operator's tools for the consistent-hash ring. Only {@code plan} exists so far.
 */
@Command(
    name = "ring",
    description = "Inspect and plan the consistent-hash ring.",
    subcommands = {RingPlanCommand.class})
final class RingCommand implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: plan");
    }
}
