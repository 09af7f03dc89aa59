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

    @Test
    void shouldPrintOnePlainLinePerStatusWhenNotOnATerminal()
    {
        final RepairStatusView comparing = status(true, 0, SECOND_NS, 8, 0, 0, 0, 0, 0, 0);
        final RepairStatusView copying = status(true, 0, 10 * SECOND_NS, 16, 4, 1, 40, 10, 10 * MIB, 5 * SECOND_NS);
        try (RepairProgress progress = RepairProgress.start(out, false))
        {
            assertThat(progress.isBar()).isFalse();
            progress.show(comparing);
            progress.show(copying);
            progress.done(status(false, 1, 12 * SECOND_NS, 16, 4, 4, 40, 40, 40 * MIB, 10 * SECOND_NS));
        }
        assertThat(written.toString().lines()).containsExactly(comparing.describe(), copying.describe());
    }

    @Test
    void shouldPrintNothingWhenSilent()
    {
        try (RepairProgress progress = RepairProgress.start(out, true))
        {
            progress.show(status(true, 0, 10 * SECOND_NS, 16, 4, 1, 40, 10, 10 * MIB, 5 * SECOND_NS));
        }
        assertThat(written.toString()).isEmpty();
    }
}
