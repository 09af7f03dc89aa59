package io.rfs.tools;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static io.rfs.tools.RepairStatusViewTest.MIB;
import static io.rfs.tools.RepairStatusViewTest.SECOND_NS;
import static io.rfs.tools.RepairStatusViewTest.status;
import static org.assertj.core.api.Assertions.assertThat;

class RepairProgressTest
{
    private final StringWriter written = new StringWriter();
    private final PrintWriter out = new PrintWriter(written);
    private long nowNs = 1_000 * SECOND_NS;

    @Test
    void shouldPrintAPlainLineAtMostEveryLineIntervalWhenNotOnATerminal()
    {
        try (RepairProgress progress = RepairProgress.start(out, false, () -> nowNs))
        {
            progress.show(status(true, 0, SECOND_NS, 8, 0, 0, 0, 0, 0, 0));
            nowNs += SECOND_NS;
            progress.show(status(true, 0, 2 * SECOND_NS, 16, 4, 0, 40, 0, 0, 0));
            nowNs += SECOND_NS;
            progress.show(status(true, 0, 3 * SECOND_NS, 16, 4, 1, 40, 10, 10 * MIB, SECOND_NS));
            progress.done(status(false, 1, 12 * SECOND_NS, 16, 4, 4, 40, 40, 40 * MIB, 10 * SECOND_NS));
        }
        assertThat(written.toString().lines()).containsExactly(
            "leader 1 term 3: round in progress, 1.00 s: 8 of 16 ranges compared, 0 different, 0 repaired; " +
                "0 of 0 chunks (0 B) copied; comparing digests",
            "leader 1 term 3: round in progress, 3.00 s: 16 of 16 ranges compared, 4 different, 1 repaired; " +
                "10 of 40 chunks (10.0 MiB) copied at 10.0 MiB/s; about 6.00 s left");
    }

    @Test
    void shouldEndPlainLinesWithTheByteRateEstimateOnceBytesMoveAcrossTheWindow()
    {
        try (RepairProgress progress = RepairProgress.start(out, false, () -> nowNs))
        {
            // 0.5 MiB/s for 8 s, 4 of 40 one-MiB chunks; the ranges say nothing (none of the 4 different is done).
            for (int i = 0; i <= 4; i++)
            {
                progress.show(status(true, 0, 2 * i * SECOND_NS, 16, 4, 0, 40, i, i * MIB, 2 * i * SECOND_NS));
                nowNs += 2 * SECOND_NS;
            }
        }
        assertThat(written.toString().lines()).hasSize(5).first().asString().endsWith("; estimating");
        assertThat(written.toString().lines()).last().asString()
            .endsWith("4 of 40 chunks (4.0 MiB) copied at 512.0 KiB/s; about 72.00 s left");
    }

    @Test
    void shouldPrintNothingWhenSilent()
    {
        try (RepairProgress progress = RepairProgress.start(out, true, () -> nowNs))
        {
            progress.show(status(true, 0, 10 * SECOND_NS, 16, 4, 1, 40, 10, 10 * MIB, 5 * SECOND_NS));
        }
        assertThat(written.toString()).isEmpty();
    }
}
