package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(300)
class CompactCommandTest
{
    private static final int MIB = 1024 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldReclaimTheSpaceOfARemovedFile() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        TestData.writeRandom(dir.resolve("big"), 4 * MIB, 1);
        final byte[] small = TestData.writeRandom(dir.resolve("small"), 10_000, 2);
        rfs.run("put", "-q", dir.resolve("big").toString()).expectExit(0);
        rfs.run("put", "-q", dir.resolve("small").toString()).expectExit(0);
        rfs.run("rm", "big").expectExit(0);

        final JsonNode report = JsonOutput.object(rfs.run("compact", "--json").expectExit(0));
        assertThat(report.get("chunksDropped").asLong()).isEqualTo(4);
        assertThat(report.get("chunksMoved").asLong()).isEqualTo(1);
        assertThat(report.get("segmentsRewritten").asInt()).isPositive();
        assertThat(report.get("bytesReclaimed").asLong()).isGreaterThanOrEqualTo(4 * MIB);
        assertThat(report.get("bytesAfter").asLong()).isLessThan(MIB);

        assertThat(rfs.run("get", "small", "-").expectExit(0).stdout()).isEqualTo(small);
        rfs.run("verify", "-q").expectExit(0);

        assertThat(rfs.run("compact").expectExit(0).out())
            .contains("segments rewritten: ", "chunks dropped:     0", "reclaimed:          ");
    }
}
