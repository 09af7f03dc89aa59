package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(300)
class VerifyCommandTest
{
    /** Inside the payload of the first record of the first chunk segment, which starts at offset 0. */
    private static final long FLIP_OFFSET = 300_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldReportACleanStore() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        TestData.writeRandom(dir.resolve("f"), 2 * 1024 * 1024 + 3, 1);
        rfs.run("put", "-q", dir.resolve("f").toString()).expectExit(0);

        assertThat(rfs.run("verify").expectExit(0).out().lines().toList()).containsExactly(
            "files:   1",
            "chunks:  3",
            "bytes:   2.0 MiB (2097155 bytes)",
            "corrupt: 0",
            "missing: 0",
            "OK");
        assertThat(rfs.run("verify", "-q").expectExit(0).out()).isEmpty();

        final JsonNode json = JsonOutput.object(rfs.run("verify", "--json", "f").expectExit(0));
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("files").asLong()).isEqualTo(1);
        assertThat(json.get("chunks").asLong()).isEqualTo(3);
        assertThat(json.get("bytes").asLong()).isEqualTo(2 * 1024 * 1024 + 3);
        assertThat(json.get("problems")).isEmpty();
    }

    @Test
    void shouldNameTheCorruptChunkAfterAByteFlipsOnDisk() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        // One chunk (below the default 1 MiB), stored first; a later file keeps it from being the segment's tail,
        // which recovery would treat as a torn write.
        final byte[] victim = TestData.writeRandom(dir.resolve("victim"), 600_000, 1);
        final byte[] good = TestData.writeRandom(dir.resolve("good"), 5_000, 2);
        rfs.run("put", "-q", dir.resolve("victim").toString()).expectExit(0);
        rfs.run("put", "-q", dir.resolve("good").toString()).expectExit(0);
        final String victimChunk = TestData.sha256(victim);

        flipByte(firstSegment(rfs.data().resolve("chunks")), FLIP_OFFSET);

        final RfsCli.Result verify = rfs.run("verify").expectExit(1);
        final List<String> lines = verify.out().lines().toList();
        assertThat(lines).startsWith("files:   2", "chunks:  2");
        assertThat(lines).contains("corrupt: 1", "missing: 0");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("1 problem");
        assertThat(lines.get(lines.size() - 2)).startsWith("victim: ").contains("corrupt chunk " + victimChunk);
        assertThat(verify.out()).doesNotContain("good:");

        // The corrupt chunk was quarantined: now it is missing, and the report says so as JSON too.
        final RfsCli.Result again = rfs.run("verify", "--json").expectExit(1);
        final JsonNode json = JsonOutput.object(again);
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("missing").asLong()).isEqualTo(1);
        assertThat(json.get("problems")).singleElement().satisfies((problem) ->
        {
            assertThat(problem.get("file").asText()).isEqualTo("victim");
            assertThat(problem.get("kind").asText()).isEqualTo("MISSING_CHUNK");
            assertThat(problem.get("chunkId").asText()).isEqualTo(victimChunk);
        });

        assertThat(rfs.run("verify", "good").expectExit(0).out()).endsWith("OK\n");
        assertThat(rfs.run("get", "good", "-").expectExit(0).stdout()).isEqualTo(good);
        assertThat(rfs.run("get", "victim", dir.resolve("out").toString()).expectExit(1).stderr())
            .startsWith("rfs: ")
            .contains(victimChunk);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void shouldScrubEveryChunkAndQuarantineTheCorruptOne() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final byte[] victim = TestData.writeRandom(dir.resolve("victim"), 600_000, 3);
        TestData.writeRandom(dir.resolve("good"), 5_000, 4);
        rfs.run("put", "-q", dir.resolve("victim").toString()).expectExit(0);
        rfs.run("put", "-q", dir.resolve("good").toString()).expectExit(0);
        assertThat(rfs.run("scrub").expectExit(0).out()).contains("chunks:  2", "corrupt: 0").endsWith("OK\n");

        flipByte(firstSegment(rfs.data().resolve("chunks")), FLIP_OFFSET);

        final JsonNode json = JsonOutput.object(rfs.run("scrub", "--json", "--rate", "64M").expectExit(1));
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("chunks").asLong()).isEqualTo(2);
        assertThat(json.get("corrupt")).singleElement()
            .satisfies((id) -> assertThat(id.asText()).isEqualTo(TestData.sha256(victim)));
        assertThat(rfs.run("scrub").expectExit(0).out()).as("quarantined, so no longer scrubbed").contains("chunks:  1");
        rfs.run("scrub", "--rate", "fast").expectExit(2);
    }

    private static Path firstSegment(final Path chunks) throws Exception
    {
        try (Stream<Path> files = Files.list(chunks))
        {
            return files.filter((file) -> file.getFileName().toString().endsWith(".seg")).sorted().findFirst()
                .orElseThrow();
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
