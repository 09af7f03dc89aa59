package io.rfs.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RfsCommandLineTest
{
    private final PrintWriter sink = new PrintWriter(new StringWriter());

    @Test
    void shouldBuildOnlyTheSubcommandTheArgumentsName()
    {
        assertThat(subcommands("get", "big", "-")).containsExactly("get");
        assertThat(subcommands("-q", "--data=/tmp/x", "put", "f", "n")).containsExactly("put");
    }

    @Test
    void shouldSkipTheSeparateValueOfARootOption()
    {
        assertThat(subcommands("--store", "cluster", "put", "f")).containsExactly("put");
        assertThat(subcommands("--data", "get", "ls")).containsExactly("ls");
    }

    @Test
    void shouldBuildEverySubcommandWhenNoneIsNamed()
    {
        final int all = Rfs.SUBCOMMANDS.size();
        assertThat(subcommands()).hasSize(all);
        assertThat(subcommands("--help")).hasSize(all);
        assertThat(subcommands("lst")).hasSize(all);
        assertThat(subcommands("--", "put")).hasSize(all);
        assertThat(subcommands("-q", "--version")).hasSize(all);
    }

    @Test
    void shouldRunTheNamedSubcommandAsTheFullCommandLineWould()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = Rfs.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), "put", "--help")
            .execute("put", "--help");
        assertThat(exit).isEqualTo(Rfs.EXIT_OK);
        assertThat(out.toString()).startsWith("Usage: rfs put").contains("--chunking");
    }

    private Set<String> subcommands(final String... args)
    {
        final CommandLine commandLine = Rfs.commandLine(sink, sink, args);
        return commandLine.getSubcommands().keySet();
    }
}
