package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(300)
class SimCommandTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldRunSeedsAndPrintTheSameSummaryApartFromWallClockFigures() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final String first = rfs.run("sim", "--seeds", "2", "--from", "5", "--virtual-time", "10s")
            .expectExit(0).out();
        final String second = rfs.run("sim", "--seeds", "2", "--from", "5", "--virtual-time", "10s", "--threads", "1")
            .expectExit(0).out();

        assertThat(first).contains("runs: 2", "faults injected:", "operations by kind: put=", "operator outcomes:",
            "0 violations");
        assertThat(withoutWallClock(second)).isEqualTo(withoutWallClock(first));
    }

    @Test
    void shouldRefuseUnknownFaultKinds() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        assertThat(rfs.run("sim", "--faults", "meteor").expectExit(2).stderr()).contains("fault=meteor");
        rfs.run("sim", "--seeds", "0").expectExit(2);
    }

    private static String withoutWallClock(final String out)
    {
        return out.replaceAll("(?m)^wall-clock:.*$", "");
    }
}
