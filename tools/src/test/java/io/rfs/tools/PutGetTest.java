package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(300)
class PutGetTest
{
    private static final int MIB = 1024 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3 * MIB + 17})
    void shouldRoundTripThroughFiles(final int size) throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final Path in = dir.resolve("in.bin");
        final byte[] content = TestData.writeRandom(in, size, size);

        final RfsCli.Result put = rfs.run("put", in.toString()).expectExit(0);
        final int chunks = (size + MIB - 1) / MIB;
        assertThat(put.out())
            .startsWith("stored in.bin: ")
            .contains(Format.bytes(size))
            .contains(Format.chunks(chunks))
            .containsPattern(" in \\d+\\.\\d\\d s \\(.+/s\\)")
            .contains("sha256: " + TestData.sha256(content));
        assertThat(put.stderr()).isEmpty();

        final Path out = dir.resolve("out.bin");
        final RfsCli.Result get = rfs.run("get", "in.bin", out.toString()).expectExit(0);
        assertThat(get.out()).startsWith("wrote " + out + ": ").contains("sha256: " + TestData.sha256(content));
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3 * MIB + 17})
    void shouldRoundTripThroughStdinAndStdout(final int size) throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final Path in = dir.resolve("in.bin");
        final byte[] content = TestData.writeRandom(in, size, 7 + size);

        final RfsCli.Result put = rfs.runWithInput(in, "put", "-", "piped/name").expectExit(0);
        assertThat(put.out()).contains("sha256: " + TestData.sha256(content));

        final RfsCli.Result get = rfs.run("get", "piped/name", "-").expectExit(0);
        assertThat(get.stdout()).isEqualTo(content);
        assertThat(get.stderr()).isEmpty();
    }

    @Test
    void shouldReplaceAnOlderVersionAndOverwriteTheTargetFile() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final Path in = dir.resolve("sub/dir/notes.txt");
        TestData.writeRandom(in, 1000, 1);
        rfs.run("-q", "put", in.toString()).expectExit(0).out();
        final byte[] second = TestData.writeRandom(in, 2000, 2);
        assertThat(rfs.run("put", "--quiet", in.toString()).expectExit(0).out()).isEmpty();

        final Path out = dir.resolve("out.txt");
        Files.writeString(out, "to be replaced");
        assertThat(rfs.run("get", "-q", "notes.txt", out.toString()).expectExit(0).out()).isEmpty();
        assertThat(Files.readAllBytes(out)).isEqualTo(second);
    }

    @Test
    void shouldPrintPutAndGetResultsAsJson() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final Path in = dir.resolve("in.bin");
        final byte[] content = TestData.writeRandom(in, MIB, 3);

        final var put = JsonOutput.object(
            rfs.run("put", "--json", "--chunking", "fixed:256K", in.toString(), "j").expectExit(0));
        assertThat(put.get("name").asText()).isEqualTo("j");
        assertThat(put.get("size").asLong()).isEqualTo(MIB);
        assertThat(put.get("chunks").asInt()).isEqualTo(4);
        assertThat(put.get("sha256").asText()).isEqualTo(TestData.sha256(content));
        assertThat(put.get("elapsedMs").isIntegralNumber()).isTrue();
        assertThat(put.get("bytesPerSecond").asLong()).isPositive();

        final var get = JsonOutput.object(rfs.run("get", "--json", "j", dir.resolve("out").toString()).expectExit(0));
        assertThat(get.get("sha256").asText()).isEqualTo(TestData.sha256(content));
    }

    @Test
    void shouldFindTheDataDirectoryInRfsHomeElseUnderHome() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final Path in = dir.resolve("in.bin");
        TestData.writeRandom(in, 100, 4);

        final Path rfsHome = dir.resolve("rfs-home");
        rfs.runRaw(null, Map.of("RFS_HOME", rfsHome.toString()), List.of("put", "-q", in.toString()))
            .expectExit(0);
        assertThat(rfsHome.resolve("embedded/node-1/store.meta")).as("the embedded default").isRegularFile();

        rfs.runRaw(null, Map.of(), List.of("put", "-q", in.toString(), "under-home")).expectExit(0);
        assertThat(rfs.home().resolve(".rfs/embedded/node-1/store.meta")).isRegularFile();
        assertThat(rfs.runRaw(null, Map.of(), List.of("ls", "-q")).expectExit(0).out()).contains("under-home");
    }
}
