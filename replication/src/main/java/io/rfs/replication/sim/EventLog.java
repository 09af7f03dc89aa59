package io.rfs.replication.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What happened in one run, in order, stamped with virtual time: every line goes into a running SHA-256 (two runs
 * of one seed must produce the same hash, which is how determinism is tested) and the last {@link #TRACE_LINES}
 * are kept as the trace a failing run prints.
 */
final class EventLog
{
    static final int TRACE_LINES = 40;

    private final LongSupplier virtualNs;
    private final Consumer<String> sink;
    private final MessageDigest digest;
    private final ArrayDeque<String> tail = new ArrayDeque<>(TRACE_LINES);
    private long count;

    /**
     * @param virtualNs the virtual clock.
     * @param sink      also told every line (to replay a seed with its whole log), or null.
     */
    EventLog(final LongSupplier virtualNs, final Consumer<String> sink)
    {
        this.virtualNs = virtualNs;
        this.sink = sink;
        try
        {
            this.digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    void record(final String event)
    {
        final String line = stamp(virtualNs.getAsLong()).append(" ms  ").append(event).toString();
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte)'\n');
        count++;
        if (tail.size() == TRACE_LINES)
        {
            tail.removeFirst();
        }
        tail.addLast(line);
        if (sink != null)
        {
            sink.accept(line);
        }
    }

    /**
     * Formats a virtual time as milliseconds with six decimals and thousands separators, right-aligned in 14
     * characters ({@code "%,14.6f"} in an English locale, but in integer arithmetic: {@code String.format} took a
     * few per cent of a run).
     */
    static StringBuilder stamp(final long virtualNs)
    {
        final StringBuilder text = new StringBuilder(64);
        final long ms = virtualNs / 1_000_000;
        final String whole = Long.toString(ms);
        final int groups = (whole.length() - 1) / 3;
        for (int pad = 14 - (whole.length() + groups + 7); pad > 0; pad--)
        {
            text.append(' ');
        }
        for (int i = 0; i < whole.length(); i++)
        {
            if (i > 0 && (whole.length() - i) % 3 == 0)
            {
                text.append(',');
            }
            text.append(whole.charAt(i));
        }
        final String fraction = Long.toString(virtualNs % 1_000_000 + 1_000_000);
        return text.append('.').append(fraction, 1, 7);
    }

    long count()
    {
        return count;
    }

    /**
     * @return the hash of every line so far, hex; ends the log.
     */
    String finish()
    {
        return HexFormat.of().formatHex(digest.digest());
    }

    List<String> trace()
    {
        return List.copyOf(tail);
    }
}
