package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(300)
class BadInputTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldRejectBadInputWithExitOneAClearMessageAndNothingLost() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final Path keepFile = dir.resolve("keep");
        final byte[] keep = TestData.writeRandom(keepFile, 200_000, 1);
        rfs.run("put", "-q", keepFile.toString()).expectExit(0);
        final Path input = dir.resolve("input");
        TestData.writeRandom(input, 1000, 2);
        final Path directory = Files.createDirectories(dir.resolve("a-directory"));

        expectFailure(rfs.run("put", dir.resolve("missing").toString()), "no such file: " + dir.resolve("missing"));
        expectFailure(rfs.run("put", directory.toString()), directory + " is a directory");
        expectFailure(rfs.run("put", input.toString(), ""), "file name is empty");
        expectFailure(rfs.run("put", input.toString(), "n".repeat(1025)), "the limit is 1024");
        expectFailure(rfs.run("put", input.toString(), "é".repeat(513)), "1026 bytes in UTF-8, the limit is 1024");
        expectFailure(rfs.run("put", input.toString(), "a/../b"), "'..' segment");
        expectFailure(rfs.run("put", input.toString(), "./b"), "'.' segment");
        expectFailure(rfs.runWithInput(input, "put", "-", "x/.."), "'..' segment");
        expectFailure(rfs.run("get", "unknown", dir.resolve("out").toString()), "no such file in the store: unknown");
        expectFailure(rfs.run("get", "unknown", "-"), "no such file in the store: unknown");
        expectFailure(rfs.run("get", "keep", dir.resolve("no/such/dir/out").toString()), "no such directory");
        expectFailure(rfs.run("get", "keep", directory.toString()), "is a directory");
        expectFailure(rfs.run("stat", ""), "file name is empty");
        expectFailure(rfs.run("verify", "keep", "unknown"), "no such file in the store: unknown");
        expectFailure(
            rfs.runRaw(null, Map.of(), List.of("--data", input.toString(), "ls")),
            "data directory " + input + " exists and is not a directory");

        assertThat(rfs.run("ls", "-q").expectExit(0).out().lines().toList())
            .singleElement()
            .satisfies((line) -> assertThat(line).startsWith("keep "));
        assertThat(rfs.run("get", "keep", "-").expectExit(0).stdout()).isEqualTo(keep);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /**
     * Exit 1, one line on stderr that says what is wrong, no stack trace, nothing on stdout.
     */
    private static void expectFailure(final RfsCli.Result result, final String message)
    {
        result.expectExit(1);
        assertThat(result.stderr()).as(result.toString()).startsWith("rfs: ").contains(message);
        assertThat(result.stderr().lines()).as(result.toString()).hasSize(1);
        assertThat(result.stderr()).as(result.toString()).doesNotContain("Exception", "\tat ");
        assertThat(result.stdout()).as(result.toString()).isEmpty();
    }
}
