package io.rfs.tools;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;

/**
 * Shows {@code rfs repair --wait}'s progress: on a terminal a bar (the project's progress-bar library, as
 * {@link Progress}) over the round's differing ranges, with chunks, bytes, rate and time left beside it; otherwise
 * plain lines on standard output; with {@code --quiet} or {@code --json}, nothing.
 */
final class RepairProgress implements AutoCloseable
{
    private final PrintWriter out;
    private final boolean silent;
    private final ProgressBar bar;

    private RepairProgress(final PrintWriter out, final boolean silent, final ProgressBar bar)
    {
        this.out = out;
        this.silent = silent;
        this.bar = bar;
    }

    /**
     * @param out    where plain lines go.
     * @param silent true for no output at all.
     * @return the display.
     */
    static RepairProgress start(final PrintWriter out, final boolean silent)
    {
        if (silent || !Progress.isTerminal())
        {
            return new RepairProgress(out, silent, null);
        }
        final ProgressBar bar = new ProgressBarBuilder()
            .setTaskName("repair")
            .setInitialMax(-1)
            .setUnit(" ranges", 1)
            .hideEta()
            .setUpdateIntervalMillis(500)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
        return new RepairProgress(out, false, bar);
    }

    /**
     * @return true if a bar is drawn (it may be updated at every poll).
     */
    boolean isBar()
    {
        return bar != null;
    }

    /**
     * @param status the leader's latest status.
     */
    void show(final RepairStatusView status)
    {
        if (silent)
        {
            return;
        }
        if (bar == null)
        {
            out.println(status.describe());
            out.flush();
            return;
        }
        bar.maxHint(status.rangesDifferent() > 0 ? status.rangesDifferent() : -1);
        bar.stepTo(status.rangesRepaired());
        bar.setExtraMessage(" " + status.chunksCopied() + " chunks, " + Format.bytes(status.bytesCopied()) +
            (status.copyRate() > 0 ? ", " + Format.bytes(status.copyRate()) + "/s" : "") + ", " + status.timeLeft());
    }

    /**
     * @param status the status of the round that found the cluster healthy.
     */
    void done(final RepairStatusView status)
    {
        if (bar != null)
        {
            bar.maxHint(Math.max(1, status.rangesRepaired()));
            bar.stepTo(Math.max(1, status.rangesRepaired()));
        }
    }

    @Override
    public void close()
    {
        if (bar != null)
        {
            bar.close();
        }
    }
}
