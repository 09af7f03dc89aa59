package io.rfs.tools;

import io.rfs.store.TransferListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * A progress bar on stderr for a long transfer, fed by the store's {@link TransferListener} calls.
 * <p>
 * The bar is drawn only when it helps a person watching: the command runs on a terminal, the size is known, the
 * transfer is at least {@link #MIN_BYTES} long and {@code --quiet} was not given. Otherwise this is a listener that
 * does nothing, so scripts and pipes never see bar output.
 */
final class Progress implements TransferListener, AutoCloseable
{
    /** Transfers shorter than this finish before a bar is worth drawing. */
    static final long MIN_BYTES = 8L * 1024 * 1024;

    private static final long MIB = 1024 * 1024;
    private static final int UPDATE_INTERVAL_MS = 200;

    private final ProgressBar bar;

    private Progress(final ProgressBar bar)
    {
        this.bar = bar;
    }

    /**
     * @param task       what the bar is labelled, e.g. {@code put}.
     * @param totalBytes the transfer's length, or -1 if unknown.
     * @param quiet      true if {@code --quiet} was given.
     * @return a bar, or a listener that draws nothing.
     */
    static Progress start(final String task, final long totalBytes, final boolean quiet)
    {
        if (!shouldShow(totalBytes, quiet))
        {
            return new Progress(null);
        }
        final ProgressBar bar = new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(totalBytes)
            .setUnit("MiB", MIB)
            .showSpeed()
            .setUpdateIntervalMillis(UPDATE_INTERVAL_MS)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
        return new Progress(bar);
    }

    /**
     * @param totalBytes the transfer's length, or -1 if unknown.
     * @param quiet      true if {@code --quiet} was given.
     * @return true if a bar would be drawn.
     */
    static boolean shouldShow(final long totalBytes, final boolean quiet)
    {
        return !quiet && totalBytes >= MIN_BYTES && isTerminal();
    }

    @Override
    public void onProgress(final long bytes)
    {
        if (bar != null)
        {
            bar.stepBy(bytes);
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

    /**
     * True if the JVM runs on an interactive terminal. On JDK 22 and later {@link System#console()} returns a
     * console even when there is no terminal, and {@code Console.isTerminal()} tells; earlier JDKs return null.
     */
    static boolean isTerminal()
    {
        final Console console = System.console();
        if (console == null)
        {
            return false;
        }
        try
        {
            final Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean)isTerminal.invoke(console);
        }
        catch (final NoSuchMethodException ex)
        {
            return true;
        }
        catch (final ReflectiveOperationException ex)
        {
            return false;
        }
    }
}
