package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(300)
class ListStatTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldListFilesAsATableAndAsJson() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final long beforeMs = System.currentTimeMillis();
        final byte[] big = TestData.writeRandom(dir.resolve("big"), 1024 * 1024 + 5, 1);
        final byte[] small = TestData.writeRandom(dir.resolve("small"), 10, 2);
        rfs.run("put", "-q", "--chunking", "fixed:64K", dir.resolve("big").toString(), "a/big").expectExit(0);
        rfs.run("put", "-q", dir.resolve("small").toString(), "b/small").expectExit(0);

        final List<String> table = rfs.run("ls").expectExit(0).out().lines().toList();
        assertThat(table).hasSize(4);
        assertThat(table.get(0)).matches("NAME +SIZE +MODIFIED +CHUNKS");
        assertThat(table.get(1)).matches("a/big +1\\.0 MiB +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +17");
        assertThat(table.get(2)).matches("b/small +10 B +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +1");
        assertThat(table.get(3)).isEqualTo("2 files, 1.0 MiB");

        assertThat(rfs.run("ls", "b/").expectExit(0).out().lines().toList())
            .hasSize(3)
            .anyMatch((line) -> line.startsWith("b/small "))
            .noneMatch((line) -> line.startsWith("a/big "));

        final JsonNode files = JsonOutput.parse(rfs.run("ls", "--json").expectExit(0));
        assertThat(files.isArray()).isTrue();
        assertThat(files).hasSize(2);
        final JsonNode first = files.get(0);
        assertThat(first.get("name").asText()).isEqualTo("a/big");
        assertThat(first.get("size").asLong()).isEqualTo(big.length);
        assertThat(first.get("chunks").asInt()).isEqualTo(17);
        assertThat(first.get("sha256").asText()).isEqualTo(TestData.sha256(big));
        assertThat(first.get("version").asText()).matches("\\d+\\.\\d+@1");
        assertThat(first.get("modifiedMs").asLong()).isBetween(beforeMs - 1000, System.currentTimeMillis() + 1000);
        assertThat(Instant.parse(first.get("modified").asText()).toEpochMilli())
            .isEqualTo(first.get("modifiedMs").asLong());
        assertThat(files.get(1).get("name").asText()).isEqualTo("b/small");
        assertThat(files.get(1).get("sha256").asText()).isEqualTo(TestData.sha256(small));

        assertThat(JsonOutput.parse(rfs.run("ls", "--json", "nothing/").expectExit(0))).isEmpty();
    }

    @Test
    void shouldShowAFileAsLinesAndAsJson() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final byte[] content = TestData.writeRandom(dir.resolve("f"), 3000, 3);
        rfs.run("put", "-q", dir.resolve("f").toString(), "dir/näme").expectExit(0);

        final String stat = rfs.run("stat", "dir/näme").expectExit(0).out();
        assertThat(stat.lines().toList()).satisfiesExactly(
            (line) -> assertThat(line).isEqualTo("name:     dir/näme"),
            (line) -> assertThat(line).isEqualTo("size:     2.9 KiB (3000 bytes)"),
            (line) -> assertThat(line).isEqualTo("chunks:   1"),
            (line) -> assertThat(line).isEqualTo("sha256:   " + TestData.sha256(content)),
            (line) -> assertThat(line).matches("modified: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"),
            (line) -> assertThat(line).matches("version:  \\d+\\.\\d+@1"));

        final JsonNode json = JsonOutput.object(rfs.run("stat", "--json", "dir/näme").expectExit(0));
        assertThat(json.get("name").asText()).isEqualTo("dir/näme");
        assertThat(json.get("size").asLong()).isEqualTo(3000);
        assertThat(json.get("chunks").asInt()).isEqualTo(1);
        assertThat(json.get("sha256").asText()).isEqualTo(TestData.sha256(content));
        assertThat(stat).contains("version:  " + json.get("version").asText());
    }

    @Test
    void shouldForgetARemovedFile() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        TestData.writeRandom(dir.resolve("f"), 100, 4);
        rfs.run("put", "-q", dir.resolve("f").toString()).expectExit(0);

        assertThat(rfs.run("rm", "f").expectExit(0).out()).isEqualTo("removed f\n");

        final RfsCli.Result get = rfs.run("get", "f", dir.resolve("out").toString()).expectExit(1);
        assertThat(get.stderr()).isEqualTo("rfs: no such file in the store: f\n");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(rfs.run("stat", "f").expectExit(1).stderr()).contains("no such file in the store: f");
        assertThat(rfs.run("rm", "f").expectExit(1).stderr()).contains("no such file in the store: f");
        assertThat(rfs.run("ls", "-q").expectExit(0).out()).isEmpty();
    }
}
