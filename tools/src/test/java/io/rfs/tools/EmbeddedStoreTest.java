package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default a new user gets: with no cluster and no single-node store in the data directory, the data commands
 * run on an embedded cluster of three nodes (N = 3) in the {@code rfs} process itself.
 */
@Timeout(300)
class EmbeddedStoreTest
{
    /** Inside the payload of the first record of a chunk segment, which starts at offset 0. */
    private static final long FLIP_OFFSET = 300_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldKeepEveryFileOnThreeEmbeddedNodesWithNoSetup() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("auto");
        final byte[] content = TestData.writeRandom(dir.resolve("f"), 2 * 1024 * 1024 + 5, 7);

        assertThat(rfs.run("put", dir.resolve("f").toString()).expectExit(0).out())
            .contains("stored f", "3 chunks", TestData.sha256(content));

        for (int node = 1; node <= 3; node++)
        {
            assertThat(segments(rfs.data().resolve("embedded/node-" + node + "/chunks")))
                .as("node %d holds a copy", node).isNotEmpty();
        }
        assertThat(rfs.data().resolve("store.meta")).as("no single-node store was made").doesNotExist();
        assertThat(rfs.run("get", "f", "-").expectExit(0).stdout()).isEqualTo(content);
        assertThat(rfs.run("ls").expectExit(0).out()).contains("f ");
        assertThat(rfs.run("stat", "f").expectExit(0).out()).contains(TestData.sha256(content));
        assertThat(rfs.run("verify").expectExit(0).out()).endsWith("OK\n");

        rfs.run("rm", "f").expectExit(0);
        assertThat(rfs.run("ls").expectExit(0).out()).doesNotContain("f ");
        rfs.run("get", "f", "-").expectExit(1);
    }

    /**
     * Streaming on the embedded cluster: three nodes and the client in one JVM put and get a file three times the
     * size of its heap.
     */
    @Test
    void shouldPutAndGetAFileThreeTimesItsHeapOnTheEmbeddedCluster() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("auto").heap("64m");
        final Path file = dir.resolve("big");
        final String sha256 = TestData.writeRandomMebibytes(file, 192, 11);

        assertThat(rfs.run("put", file.toString(), "big").expectExit(0).out()).contains("stored big", sha256);
        final Path back = dir.resolve("back");
        rfs.run("get", "big", back.toString()).expectExit(0);
        assertThat(TestData.sha256(back)).isEqualTo(sha256);
    }

    @Test
    void shouldReturnTheRightBytesAndReportTheReplicaWhenOneNodesCopyIsCorrupt() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final byte[] victim = TestData.writeRandom(dir.resolve("victim"), 600_000, 1);
        TestData.writeRandom(dir.resolve("good"), 5_000, 2);
        rfs.run("put", "-q", dir.resolve("victim").toString()).expectExit(0);
        // A later record keeps the victim from being its segment's tail, which recovery would cut as torn.
        rfs.run("put", "-q", dir.resolve("good").toString()).expectExit(0);

        flipByte(segments(rfs.data().resolve("embedded/node-2/chunks"))[0], FLIP_OFFSET);

        for (int i = 0; i < 3; i++)
        {
            assertThat(rfs.run("get", "victim", "-").expectExit(0).stdout())
                .as("read %d falls over to a good replica", i).isEqualTo(victim);
        }
        final RfsCli.Result verify = rfs.run("verify", "victim").expectExit(1);
        assertThat(verify.out()).contains(TestData.sha256(victim)).contains("node 2");
    }

    @Test
    void shouldRefuseOneNodeMaintenanceOnACluster() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        TestData.writeRandom(dir.resolve("f"), 1000, 3);
        rfs.run("put", "-q", dir.resolve("f").toString()).expectExit(0);

        assertThat(rfs.run("compact").expectExit(2).stderr()).contains("--store local");
        assertThat(rfs.run("scrub").expectExit(2).stderr()).contains("--store local");
    }

    @Test
    void shouldKeepUsingAnExistingSingleNodeStore() throws Exception
    {
        final RfsCli local = new RfsCli(dir).store("local");
        final byte[] content = TestData.writeRandom(dir.resolve("f"), 1000, 4);
        local.run("put", "-q", dir.resolve("f").toString()).expectExit(0);

        final RfsCli auto = new RfsCli(dir).store("auto");
        assertThat(auto.run("get", "f", "-").expectExit(0).stdout()).isEqualTo(content);
        assertThat(auto.data().resolve("embedded")).doesNotExist();
    }

    private static Path[] segments(final Path chunks) throws Exception
    {
        try (Stream<Path> files = Files.list(chunks))
        {
            return files.filter((file) -> file.getFileName().toString().endsWith(".seg")).sorted().toArray(Path[]::new);
        }
    }

    private static void flipByte(final Path file, final long offset) throws Exception
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xFF);
        }
    }
}
