package io.rfs.tools;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Shows {@code rfs repair --wait}'s progress: on a terminal a bar (the project's progress-bar library, as
 * {@link Progress}) over the round's differing ranges, with chunks, bytes, rate and time left beside it; otherwise
 * plain lines on standard output, at most one per {@link #LINE_INTERVAL_NS}; with {@code --quiet} or
 * {@code --json}, nothing. Every status shown feeds the time-left estimate ({@link RepairTimeLeft}), printed or not.
 */
final class RepairProgress implements AutoCloseable
{
    /**
     * The least time between two plain lines: a log of a long repair stays readable.
     */
    static final long LINE_INTERVAL_NS = 2_000_000_000L;

    private final PrintWriter out;
    private final boolean silent;
    private final ProgressBar bar;
    private final LongSupplier nanoClock;
    private final RepairTimeLeft timeLeft = new RepairTimeLeft();
    private long lastLineNs;
    private boolean anyLine;

    private RepairProgress(final PrintWriter out, final boolean silent, final ProgressBar bar,
        final LongSupplier nanoClock)
    {
        this.out = out;
        this.silent = silent;
        this.bar = bar;
        this.nanoClock = nanoClock;
    }

    /**
     * @param out       where plain lines go.
     * @param silent    true for no output at all.
     * @param nanoClock the time, {@link System#nanoTime()} outside tests.
     * @return the display.
     */
    static RepairProgress start(final PrintWriter out, final boolean silent, final LongSupplier nanoClock)
    {
        if (silent || !Progress.isTerminal())
        {
            return new RepairProgress(out, silent, null, nanoClock);
        }
        final ProgressBar bar = new ProgressBarBuilder()
            .setTaskName("repair")
            .setInitialMax(-1)
            .setUnit(" ranges", 1)
            .hideEta()
            .setUpdateIntervalMillis(500)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
        return new RepairProgress(out, false, bar, nanoClock);
    }

    /**
     * @param status the leader's latest status, at every poll.
     */
    void show(final RepairStatusView status)
    {
        if (silent)
        {
            return;
        }
        final long nowNs = nanoClock.getAsLong();
        final String left = timeLeft.update(nowNs, status);
        if (bar == null)
        {
            if (!anyLine || nowNs - lastLineNs >= LINE_INTERVAL_NS)
            {
                anyLine = true;
                lastLineNs = nowNs;
                out.println(status.describe(left));
                out.flush();
            }
            return;
        }
        bar.maxHint(status.rangesDifferent() > 0 ? status.rangesDifferent() : -1);
        bar.stepTo(status.rangesRepaired());
        bar.setExtraMessage(" " + status.chunksCopied() + " chunks, " + Format.bytes(status.bytesCopied()) +
            (status.copyRate() > 0 ? ", " + Format.bytes(status.copyRate()) + "/s" : "") + ", " + left);
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
