package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(300)
class UsageErrorTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    static Stream<List<String>> usageErrors()
    {
        return Stream.of(
            List.of(),
            List.of("frob"),
            List.of("put"),
            List.of("put", "-"),
            List.of("put", "--bogus", "f"),
            List.of("put", "--chunking", "cdc:1:2:3", "f"),
            List.of("get", "x"),
            List.of("get", "--json", "x", "-"),
            List.of("stat"),
            List.of("stat", "a", "b"),
            List.of("rm"),
            List.of("ls", "--data"),
            List.of("verify", "-x"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void shouldExitTwoOnAUsageError(final List<String> args) throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final RfsCli.Result result = rfs.runRaw(null, Map.of(), args).expectExit(2);
        assertThat(result.stderr()).startsWith("rfs: ").contains("--help' for more information.");
        assertThat(result.stdout()).isEmpty();
        assertThat(rfs.home().resolve(".rfs")).doesNotExist();
    }

    @Test
    void shouldNameTheCommandsWhenOneIsUnknown() throws Exception
    {
        final RfsCli.Result result = new RfsCli(dir).runRaw(null, Map.of(), List.of("lst")).expectExit(2);
        assertThat(result.stderr()).contains("unknown command 'lst'").contains("ls");
    }

    @Test
    void shouldPrintHelpAndVersion() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        assertThat(rfs.runRaw(null, Map.of(), List.of("--help")).expectExit(0).out())
            .startsWith("Usage: rfs")
            .contains("put", "get", "ls", "stat", "rm", "verify", "compact", "--data", "Exit codes");
        assertThat(rfs.runRaw(null, Map.of(), List.of("put", "--help")).expectExit(0).out())
            .startsWith("Usage: rfs put")
            .contains("--chunking");
        assertThat(rfs.runRaw(null, Map.of(), List.of("--version")).expectExit(0).out())
            .startsWith("rfs 0.")
            .contains("Java ");
        assertThat(rfs.runRaw(null, Map.of(), List.of("ls", "--version")).expectExit(0).out()).startsWith("rfs ");
    }
}
